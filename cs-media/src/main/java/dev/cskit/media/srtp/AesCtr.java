/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.srtp;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES counter-mode keystream built from a reusable AES/ECB cipher: the counter blocks of a whole
 * packet are laid out in one array and encrypted in a single call, so the JDK's AES intrinsics do
 * the work and nothing is allocated per packet (the scratch arrays only grow, for jumbo input).
 * Not thread-safe.
 */
final class AesCtr {
    private final Cipher ecb;
    private byte[] counters = new byte[2048];
    private byte[] keystream = new byte[2048];

    AesCtr(byte[] key) {
        try {
            ecb = Cipher.getInstance("AES/ECB/NoPadding");
            ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/ECB/NoPadding unavailable in this JVM", e);
        }
    }

    /**
     * XORs {@code buf[off, off+len)} with the keystream whose first counter block is {@code iv},
     * incrementing the low 32 bits of the counter (big-endian) for each following block.
     */
    void xor(byte[] iv, byte[] buf, int off, int len) {
        if (len <= 0) {
            return;
        }
        int blocks = (len + 15) >>> 4;
        int bytes = blocks << 4;
        if (counters.length < bytes) {
            counters = new byte[bytes];
            keystream = new byte[bytes];
        }
        int base = ((iv[12] & 0xff) << 24) | ((iv[13] & 0xff) << 16) | ((iv[14] & 0xff) << 8) | (iv[15] & 0xff);
        for (int b = 0, p = 0; b < blocks; b++, p += 16) {
            System.arraycopy(iv, 0, counters, p, 12);
            int c = base + b;
            counters[p + 12] = (byte) (c >>> 24);
            counters[p + 13] = (byte) (c >>> 16);
            counters[p + 14] = (byte) (c >>> 8);
            counters[p + 15] = (byte) c;
        }
        try {
            ecb.update(counters, 0, bytes, keystream, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        for (int i = 0; i < len; i++) {
            buf[off + i] ^= keystream[i];
        }
    }
}
