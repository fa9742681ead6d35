/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.srtp;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-GCM (NIST SP 800-38D) with a 96-bit IV and a 128-bit tag that directly follows the
 * ciphertext, on the JDK's {@code AES/GCM/NoPadding}: its AES and GHASH intrinsics (AES-NI,
 * PCLMULQDQ) are several times faster than any GHASH written in Java. Associated data may come
 * from several places (SRTCP authenticates the header and the trailing E||index, RFC 7714 §9.2).
 * Use: {@link #startSeal} or {@link #startOpen}, {@link #aad}..., then {@link #seal} or
 * {@link #open}. Not thread-safe.
 *
 * <p>Trade-off, measured on JDK 17: each message costs about 2.3 kB of short-lived garbage, because
 * the JCA must be re-initialised per IV ({@code GCMParameterSpec}, and the provider's per-init
 * engine state). No allocation-free Java GHASH came within 2× of its speed. A forged packet makes
 * the provider throw {@link AEADBadTagException}, which is caught here and turned into
 * {@code false}: the caller still sees a result code, never an exception.
 */
final class AesGcm {
    static final int TAG_LENGTH = 16;
    private static final int TAG_BITS = TAG_LENGTH * 8;

    private final SecretKeySpec key;
    private final Cipher cipher;
    private final byte[] iv = new byte[12];

    AesGcm(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
        try {
            cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM/NoPadding unavailable in this JVM", e);
        }
    }

    /** Begins encrypting a message with the 12-byte IV {@code iv[ivOff..]}. */
    void startSeal(byte[] iv, int ivOff) {
        System.arraycopy(iv, ivOff, this.iv, 0, 12);
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, this.iv));
        } catch (InvalidAlgorithmParameterException e) {
            // The JCA refuses the IV of its previous encryption, as a guard against misuse. SRTP
            // legitimately re-protects one index (a retransmission of the same packet), so step
            // through another IV first. Only that case throws here.
            try {
                this.iv[11] ^= 1;
                cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, this.iv));
                this.iv[11] ^= 1;
                cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, this.iv));
            } catch (GeneralSecurityException again) {
                throw new IllegalStateException(again);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Begins decrypting a message with the 12-byte IV {@code iv[ivOff..]}. */
    void startOpen(byte[] iv, int ivOff) {
        System.arraycopy(iv, ivOff, this.iv, 0, 12);
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, this.iv));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Adds associated data; may be called several times before {@link #seal}/{@link #open}. */
    void aad(byte[] b, int off, int len) {
        cipher.updateAAD(b, off, len);
    }

    /** Encrypts {@code buf[off, off+len)} in place and writes the tag at {@code buf[off+len..]}. */
    void seal(byte[] buf, int off, int len) {
        try {
            cipher.doFinal(buf, off, len, buf, off);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e); // only on a short buffer: the caller checked room
        }
    }

    /**
     * Verifies the tag at {@code buf[off+len..]} over the ciphertext {@code buf[off, off+len)} and
     * only then decrypts it in place. Returns false, leaving {@code buf} untouched, on mismatch
     * (the JDK verifies before it writes; {@code SrtpContextTest} checks that it stays so).
     */
    boolean open(byte[] buf, int off, int len) {
        try {
            cipher.doFinal(buf, off, len + TAG_LENGTH, buf, off);
            return true;
        } catch (AEADBadTagException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
