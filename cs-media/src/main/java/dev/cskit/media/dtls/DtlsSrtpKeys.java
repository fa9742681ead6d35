/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.dtls;

import dev.cskit.media.srtp.SrtpContext;
import dev.cskit.media.srtp.SrtpProfile;
import java.util.Objects;

/**
 * The outcome of a DTLS-SRTP handshake: the negotiated profile and ready SRTP contexts keyed from
 * the {@code EXTRACTOR-dtls_srtp} exporter (RFC 5764 §4.2). {@code inbound} unprotects what the
 * peer sends (keyed with the peer's write key), {@code outbound} protects what we send. Each
 * context is single-threaded (see {@link SrtpContext}); the two may be used on different threads.
 *
 * @param profile the protection profile both sides agreed on
 * @param inbound context that unprotects packets from the peer
 * @param outbound context that protects packets to the peer
 * @param remoteFingerprint the fingerprint of the certificate the peer presented (it matched the expected one)
 */
public record DtlsSrtpKeys(SrtpProfile profile, SrtpContext inbound, SrtpContext outbound,
                           DtlsFingerprint remoteFingerprint) {
    public DtlsSrtpKeys {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(inbound, "inbound");
        Objects.requireNonNull(outbound, "outbound");
        Objects.requireNonNull(remoteFingerprint, "remoteFingerprint");
    }

    /** RFC 5764 §4.2: material = client key | server key | client salt | server salt. */
    static DtlsSrtpKeys fromExporter(SrtpProfile p, byte[] material, boolean server, DtlsFingerprint remote) {
        int k = p.keyLength();
        int s = p.saltLength();
        byte[] clientKey = java.util.Arrays.copyOfRange(material, 0, k);
        byte[] serverKey = java.util.Arrays.copyOfRange(material, k, 2 * k);
        byte[] clientSalt = java.util.Arrays.copyOfRange(material, 2 * k, 2 * k + s);
        byte[] serverSalt = java.util.Arrays.copyOfRange(material, 2 * k + s, 2 * k + 2 * s);
        SrtpContext client = SrtpContext.create(p, clientKey, clientSalt);
        SrtpContext srv = SrtpContext.create(p, serverKey, serverSalt);
        java.util.Arrays.fill(material, (byte) 0);
        return server ? new DtlsSrtpKeys(p, client, srv, remote) : new DtlsSrtpKeys(p, srv, client, remote);
    }
}
