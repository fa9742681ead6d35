/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.testkit;

import dev.cskit.media.ice.IceCredentials;
import dev.cskit.media.stun.StunKeys;
import dev.cskit.media.stun.StunMessage;
import dev.cskit.media.stun.StunStatus;
import dev.cskit.media.stun.StunWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;

/**
 * The controlling side of ICE connectivity checks, for tests and the load harness: builds Binding
 * requests as a full agent would (RFC 8445 §7.2.2) and verifies the responses.
 *
 * <p>Not thread-safe: use one instance per thread.
 */
public final class IceClient {
    private final byte[] username;
    private final long tieBreaker;
    private final Mac mac;
    private final StunWriter writer = new StunWriter();
    private final StunMessage msg = new StunMessage();

    /**
     * A client for a pair of credentials.
     *
     * @param local the client's own ufrag/pwd
     * @param remote the lite agent's ufrag/pwd (from its answer); its pwd keys the checks
     * @param tieBreaker the ICE-CONTROLLING tie-breaker
     */
    public IceClient(IceCredentials local, IceCredentials remote, long tieBreaker) {
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(remote, "remote");
        this.username = (remote.ufrag() + ":" + local.ufrag()).getBytes(StandardCharsets.UTF_8);
        this.tieBreaker = tieBreaker;
        this.mac = StunKeys.hmacSha1(StunKeys.shortTermKey(remote.pwd()));
    }

    /**
     * Writes a Binding request: USERNAME "remote:local", PRIORITY, USE-CANDIDATE if asked,
     * ICE-CONTROLLING, MESSAGE-INTEGRITY (remote pwd) and FINGERPRINT.
     *
     * @param txId 12 bytes, random per transaction
     * @return the request length
     */
    public int writeBindingRequest(byte[] out, int off, byte[] txId, long priority, boolean useCandidate) {
        if (txId.length != 12) {
            throw new IllegalArgumentException("a STUN transaction id is 12 bytes, got " + txId.length);
        }
        writer.start(out, off, out.length - off, StunMessage.BINDING_REQUEST, txId, 0)
                .addUsername(username)
                .addPriority(priority);
        if (useCandidate) {
            writer.addUseCandidate();
        }
        return writer.addIceControlling(tieBreaker)
                .addMessageIntegrity(mac)
                .addFingerprint()
                .finish();
    }

    /** What a response to one of our requests turned out to be. */
    public enum Outcome {
        /** A Binding success with valid integrity and fingerprint. */
        SUCCESS,
        /** A Binding error response (see {@link Response#errorCode()}). */
        ERROR_RESPONSE,
        /** Not well-formed STUN, not a Binding response, or another transaction. */
        MALFORMED,
        /** FINGERPRINT missing or wrong. */
        BAD_FINGERPRINT,
        /** A success response whose MESSAGE-INTEGRITY is missing or wrong. */
        BAD_INTEGRITY
    }

    /**
     * A checked response.
     *
     * @param outcome the verdict
     * @param errorCode the STUN error code of an error response, else 0
     * @param mappedAddress XOR-MAPPED-ADDRESS of a success response
     */
    public record Response(Outcome outcome, int errorCode, Optional<InetSocketAddress> mappedAddress) {
    }

    /** Verifies a response to the request with {@code txId}. Allocates; never throws on bad input. */
    public Response verifyResponse(byte[] buf, int off, int len, byte[] txId) {
        if (msg.wrap(buf, off, len) != StunStatus.OK || !msg.transactionIdEquals(txId, 0)) {
            return new Response(Outcome.MALFORMED, 0, Optional.empty());
        }
        if (msg.verifyFingerprint() != StunStatus.OK) {
            return new Response(Outcome.BAD_FINGERPRINT, 0, Optional.empty());
        }
        if (msg.messageType() == StunMessage.BINDING_ERROR) {
            return new Response(Outcome.ERROR_RESPONSE, Math.max(0, msg.errorCode()), Optional.empty());
        }
        if (msg.messageType() != StunMessage.BINDING_SUCCESS) {
            return new Response(Outcome.MALFORMED, 0, Optional.empty());
        }
        if (msg.verifyIntegrity(mac) != StunStatus.OK) {
            return new Response(Outcome.BAD_INTEGRITY, 0, Optional.empty());
        }
        return new Response(Outcome.SUCCESS, 0, msg.xorMappedAddress());
    }
}
