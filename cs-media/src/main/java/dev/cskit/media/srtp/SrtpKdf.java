/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.srtp;

/**
 * SRTP session key derivation: the AES-CM PRF of RFC 3711 §4.3.1/§4.3.3 with a key derivation
 * rate of 0 (so r = 0), also used for AEAD_AES_128_GCM with its 96-bit master salt (RFC 7714 §11).
 */
final class SrtpKdf {
    static final int LABEL_RTP_ENCRYPTION = 0x00;
    static final int LABEL_RTP_AUTH = 0x01;
    static final int LABEL_RTP_SALT = 0x02;
    static final int LABEL_RTCP_ENCRYPTION = 0x03;
    static final int LABEL_RTCP_AUTH = 0x04;
    static final int LABEL_RTCP_SALT = 0x05;

    private SrtpKdf() {
    }

    /** Derives {@code length} bytes of session material for {@code label}. */
    static byte[] derive(byte[] masterKey, byte[] masterSalt, int label, int length) {
        // RFC 3711 §4.3.1: key_id = label || r (r = 0); x = key_id XOR master_salt, and the PRF
        // input is x * 2^16. The label lands on octet 7 of the 16-byte counter block; a 96-bit
        // GCM salt is left-aligned the same way (RFC 7714 §11).
        byte[] iv = new byte[16];
        System.arraycopy(masterSalt, 0, iv, 0, masterSalt.length);
        iv[7] ^= (byte) label;
        byte[] out = new byte[length];
        new AesCtr(masterKey).xor(iv, out, 0, length);
        return out;
    }
}
