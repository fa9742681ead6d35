/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.srtp;

import java.util.Optional;

/**
 * The SRTP protection profiles cskit supports, with their DTLS-SRTP identifiers and lengths.
 *
 * <p>Identifiers are those of RFC 5764 §4.1.2 ({@code SRTP_AES128_CM_HMAC_SHA1_80 = {0x00, 0x01}})
 * and RFC 7714 §14.2 ({@code SRTP_AEAD_AES_128_GCM = {0x00, 0x07}}). Immutable and thread-safe.
 */
public enum SrtpProfile {
    /** AES-128 counter mode with an 80-bit HMAC-SHA1 tag (RFC 3711, RFC 5764 §4.1.2). */
    AES_CM_128_HMAC_SHA1_80(0x0001, 16, 14, 10, 20),
    /** AES-128 GCM with a 128-bit tag (RFC 7714 §14.2). */
    AEAD_AES_128_GCM(0x0007, 16, 12, 16, 0);

    private final int id;
    private final int keyLength;
    private final int saltLength;
    private final int tagLength;
    private final int authKeyLength;

    SrtpProfile(int id, int keyLength, int saltLength, int tagLength, int authKeyLength) {
        this.id = id;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
        this.tagLength = tagLength;
        this.authKeyLength = authKeyLength;
    }

    /** The DTLS-SRTP protection profile identifier (RFC 5764 §4.1.2, RFC 7714 §14.2). */
    public int id() {
        return id;
    }

    /** Master (and session) key length in bytes. */
    public int keyLength() {
        return keyLength;
    }

    /** Master (and session) salt length in bytes. */
    public int saltLength() {
        return saltLength;
    }

    /** Authentication tag length in bytes appended to each SRTP packet. */
    public int tagLength() {
        return tagLength;
    }

    /** Session authentication key length in bytes (0 for AEAD profiles). */
    public int authKeyLength() {
        return authKeyLength;
    }

    /** Bytes an SRTP packet grows by when protected (the tag). */
    public int rtpOverhead() {
        return tagLength;
    }

    /** Bytes an SRTCP packet grows by when protected (the tag plus the 4-byte E flag and index). */
    public int rtcpOverhead() {
        return tagLength + 4;
    }

    /** Looks a profile up by its DTLS-SRTP identifier. */
    public static Optional<SrtpProfile> byId(int id) {
        for (SrtpProfile p : values()) {
            if (p.id == id) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
