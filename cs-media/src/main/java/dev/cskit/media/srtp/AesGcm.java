/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.srtp;

import org.bouncycastle.crypto.modes.gcm.GCMMultiplier;
import org.bouncycastle.crypto.modes.gcm.Tables4kGCMMultiplier;

/**
 * AES-GCM (NIST SP 800-38D) with a 96-bit IV and 128-bit tag, assembled from {@link AesCtr} and
 * BouncyCastle's table-driven GHASH so that associated data can come from two places (SRTCP
 * authenticates the header and the trailing E||index, RFC 7714 §9.2) and nothing is allocated per
 * packet. Use: {@link #start}, {@link #aad}..., then {@link #seal} or {@link #open}. Not thread-safe.
 */
final class AesGcm {
    static final int TAG_LENGTH = 16;

    private final AesCtr aes;
    private final GCMMultiplier multiplier = new Tables4kGCMMultiplier();
    private final byte[] counter = new byte[16];
    private final byte[] tagMask = new byte[16];
    private final byte[] hash = new byte[16];
    private final byte[] computedTag = new byte[16];
    private int partial;
    private long aadLength;

    AesGcm(byte[] key) {
        aes = new AesCtr(key);
        byte[] h = new byte[16];
        aes.encryptBlock(h, 0, h, 0);
        multiplier.init(h);
    }

    /** Begins a message with the 12-byte IV {@code iv[ivOff..]}. */
    void start(byte[] iv, int ivOff) {
        System.arraycopy(iv, ivOff, counter, 0, 12);
        counter[12] = 0;
        counter[13] = 0;
        counter[14] = 0;
        counter[15] = 1; // J0 = IV || 0^31 || 1
        aes.encryptBlock(counter, 0, tagMask, 0);
        counter[15] = 2; // inc32(J0) starts the payload keystream
        java.util.Arrays.fill(hash, (byte) 0);
        partial = 0;
        aadLength = 0;
    }

    /** Adds associated data; may be called several times before {@link #seal}/{@link #open}. */
    void aad(byte[] b, int off, int len) {
        ghash(b, off, len);
        aadLength += len;
    }

    /** Encrypts {@code buf[off, off+len)} in place and writes the tag at {@code tag[tagOff..]}. */
    void seal(byte[] buf, int off, int len, byte[] tag, int tagOff) {
        pad();
        aes.xor(counter, buf, off, len);
        ghash(buf, off, len);
        finish(len, tag, tagOff);
    }

    /**
     * Verifies the tag at {@code tag[tagOff..]} over the ciphertext {@code buf[off, off+len)} and
     * only then decrypts it in place. Returns false, leaving {@code buf} untouched, on mismatch.
     */
    boolean open(byte[] buf, int off, int len, byte[] tag, int tagOff) {
        pad();
        ghash(buf, off, len);
        finish(len, computedTag, 0);
        int diff = 0;
        for (int i = 0; i < TAG_LENGTH; i++) {
            diff |= computedTag[i] ^ tag[tagOff + i];
        }
        if (diff != 0) {
            return false;
        }
        aes.xor(counter, buf, off, len);
        return true;
    }

    private void finish(long ciphertextLength, byte[] out, int outOff) {
        pad();
        long aBits = aadLength << 3;
        long cBits = ciphertextLength << 3;
        for (int i = 0; i < 8; i++) {
            hash[i] ^= (byte) (aBits >>> (56 - 8 * i));
            hash[8 + i] ^= (byte) (cBits >>> (56 - 8 * i));
        }
        multiplier.multiplyH(hash);
        for (int i = 0; i < TAG_LENGTH; i++) {
            out[outOff + i] = (byte) (hash[i] ^ tagMask[i]);
        }
    }

    private void ghash(byte[] b, int off, int len) {
        while (len > 0) {
            int n = Math.min(16 - partial, len);
            for (int i = 0; i < n; i++) {
                hash[partial + i] ^= b[off + i];
            }
            partial += n;
            off += n;
            len -= n;
            if (partial == 16) {
                multiplier.multiplyH(hash);
                partial = 0;
            }
        }
    }

    /** Zero-pads the pending partial block (XOR with zeros is a no-op, so just multiply). */
    private void pad() {
        if (partial > 0) {
            multiplier.multiplyH(hash);
            partial = 0;
        }
    }
}
