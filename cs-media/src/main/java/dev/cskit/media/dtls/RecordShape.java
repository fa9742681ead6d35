/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.dtls;

import org.bouncycastle.tls.CipherSuite;

/**
 * What an encrypted record of the negotiated cipher suite can look like, so that a datagram which cannot hold
 * valid DTLS records is dropped before BouncyCastle sees it. BouncyCastle answers a record it cannot even decode
 * with a fatal alert and closes the association, while RFC 6347 §4.1.2.7 says invalid records are silently
 * discarded: a forged short record (e.g. a spoofed 4-byte application_data) must not end a call.
 *
 * <p>Thread-safe: learned once by the handshake thread, read by the receiving thread.
 */
final class RecordShape {

    /** The shortest encrypted record the negotiated suite can produce; 0 until the handshake completes. */
    private volatile int minProtectedRecord;
    /** CBC suites: the MAC length that follows the blocks (encrypt-then-MAC) or -1 (MAC-then-encrypt); else 0. */
    private volatile int cbcTrailer;

    /** Whether the suite is known (the handshake completed). */
    boolean known() {
        return minProtectedRecord > 0;
    }

    // RFC 6347 §4.1: type(1) version(2) epoch(2) sequence_number(6) length(2), then the fragment; records may be
    // packed back to back in one datagram. Encrypted (epoch > 0) records must be long enough for the suite's
    // explicit nonce/IV and tag/MAC, and CBC ones block-aligned, or BouncyCastle fails with decode_error.
    boolean plausible(byte[] buf, int off, int len) {
        int p = off;
        int end = off + len;
        while (p < end) {
            if (end - p < 13) {
                return false;
            }
            int type = buf[p] & 0xFF;
            int epoch = ((buf[p + 3] & 0xFF) << 8) | (buf[p + 4] & 0xFF);
            int length = ((buf[p + 11] & 0xFF) << 8) | (buf[p + 12] & 0xFF);
            if (type < 20 || type > 23 || 13 + length > end - p) {
                return false;
            }
            if (epoch > 0) {
                int trailer = cbcTrailer;
                if (length < minProtectedRecord
                        || (trailer < 0 && length % 16 != 0)
                        || (trailer > 0 && (length - trailer) % 16 != 0)) {
                    return false;
                }
            }
            p += 13 + length;
        }
        return true;
    }

    void learn(int cipherSuite, boolean encryptThenMac) {
        int min;
        int trailer = 0;
        switch (cipherSuite) {
            case CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
                 CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 -> min = 8 + 16; // explicit nonce + tag
            case CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 -> min = 16; // tag
            default -> {
                int mac = cipherSuite == CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256 ? 32 : 20;
                if (encryptThenMac) {
                    min = 16 + 16 + mac; // IV, one block, MAC
                    trailer = mac;
                } else {
                    min = 16 + ((mac + 1 + 15) / 16) * 16; // IV, MAC and at least one padding byte in blocks
                    trailer = -1;
                }
            }
        }
        cbcTrailer = trailer;
        minProtectedRecord = min;
    }
}
