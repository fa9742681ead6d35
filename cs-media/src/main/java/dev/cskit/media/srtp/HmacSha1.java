/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.srtp;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * HMAC-SHA1 (RFC 2104) over two reusable JDK {@code SHA-1} digests, so the JIT's SHA-1 intrinsic
 * (SHA-NI where the CPU has it) does the work, and nothing is allocated per message:
 * {@code javax.crypto.Mac.doFinal(byte[], int)} would allocate its result, and BouncyCastle's
 * digest is plain Java. Use: {@link #update}..., then {@link #doFinal}. Not thread-safe.
 */
final class HmacSha1 {
    static final int LENGTH = 20;
    private static final int BLOCK = 64;

    private final MessageDigest inner;
    private final MessageDigest outer;
    private final byte[] innerPad = new byte[BLOCK];
    private final byte[] outerPad = new byte[BLOCK];
    private final byte[] innerHash = new byte[LENGTH];

    HmacSha1(byte[] key) {
        try {
            inner = MessageDigest.getInstance("SHA-1");
            outer = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 unavailable in this JVM", e);
        }
        // RFC 2104 §2: keys longer than the block are hashed first, then zero-padded to B bytes.
        byte[] k = key.length > BLOCK ? inner.digest(key) : key;
        for (int i = 0; i < BLOCK; i++) {
            byte b = i < k.length ? k[i] : 0;
            innerPad[i] = (byte) (b ^ 0x36);
            outerPad[i] = (byte) (b ^ 0x5c);
        }
        inner.update(innerPad);
    }

    void update(byte[] b, int off, int len) {
        inner.update(b, off, len);
    }

    /** Writes the 20-byte MAC at {@code out[off..]} and resets for the next message. */
    void doFinal(byte[] out, int off) {
        try {
            // HMAC = H((K ^ opad) || H((K ^ ipad) || m))
            inner.digest(innerHash, 0, LENGTH);
            outer.update(outerPad, 0, BLOCK);
            outer.update(innerHash, 0, LENGTH);
            outer.digest(out, off, LENGTH);
        } catch (DigestException e) {
            throw new IllegalStateException(e); // only on a short output buffer: a bug here
        }
        inner.update(innerPad, 0, BLOCK);
    }
}
