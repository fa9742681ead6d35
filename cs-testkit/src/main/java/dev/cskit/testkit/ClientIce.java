/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.testkit;

import dev.cskit.media.ice.IceCredentials;
import java.net.InetSocketAddress;
import java.security.SecureRandom;

/**
 * The controlling ICE side of one {@link ClientPeer}: sends Binding requests with USE-CANDIDATE (RFC 8445
 * §7.2.2) to the server's candidate and verifies the response to the latest one.
 *
 * <p>Thread-safe: checks are sent from the owner's threads, responses verified on the receive thread.
 */
final class ClientIce {

    /** RFC 8445 §5.1.2.1: host type preference 126, local preference 65535, component 1. */
    private static final long HOST_PRIORITY = (126L << 24) | (65535L << 8) | (256 - 1);

    private final IceClient ice;
    private final SecureRandom random;
    private final byte[] out = new byte[256];
    private byte[] pendingTx;

    ClientIce(IceCredentials local, IceCredentials remote, SecureRandom random) {
        this.ice = new IceClient(local, remote, random.nextLong());
        this.random = random;
    }

    /** Sends a new check to {@code to}; a response to an earlier one no longer verifies. */
    synchronized void sendCheck(ClientPeer.Sender sender, InetSocketAddress to) {
        byte[] txId = new byte[12];
        random.nextBytes(txId);
        pendingTx = txId;
        int n = ice.writeBindingRequest(out, 0, txId, HOST_PRIORITY, true);
        sender.send(out, 0, n, to);
    }

    /** Whether the datagram is a success response to the latest check that verifies. */
    synchronized boolean verify(byte[] buf, int off, int len) {
        return pendingTx != null && ice.verifyResponse(buf, off, len, pendingTx).outcome() == IceClient.Outcome.SUCCESS;
    }
}
