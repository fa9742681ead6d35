/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.srtp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * AES-GCM (NIST SP 800-38D) with a 96-bit IV and a 128-bit tag that directly follows the
 * ciphertext, allocating nothing per message: the counter-mode keystream comes from
 * {@link AesCtr} (the JDK's AES intrinsics through a reused ECB {@code Cipher}) and the tag from
 * {@link Ghash} (the JDK's GHASH if the JVM opens it to cskit, see {@link JdkGhash}; tables in Java
 * otherwise). Associated data may come in several pieces (SRTCP authenticates the header and
 * the trailing E||index, RFC 7714 §9.2). Use: {@link #start}, {@link #aad}..., then {@link #seal}
 * or {@link #open}. Not thread-safe.
 *
 * <p>The JDK's {@code AES/GCM/NoPadding} is faster per byte (carry-less multiply), but it must be
 * re-initialised for each IV, and each {@code init} builds a new engine: about 1.1 kB of garbage
 * per message on JDK 17 and on JDK 25 (see BENCHMARKS.md). It also refuses to encrypt twice
 * under one IV, which SRTP does when it re-sends a packet at the same index.
 *
 * <p>The GHASH (and its tables) is made at the first message, so a context that never carries
 * RTP (the receiving side of a player) costs only its key schedule.
 */
final class AesGcm {
    static final int TAG_LENGTH = 16;
    private static final VarHandle BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final AesCtr aes;
    private final Ghash.Tables tables;
    private final boolean jdkGhash;
    private final long hHi;
    private final long hLo;
    private Ghash ghash;
    /** J0 = IV || 0^31 || 1 (SP 800-38D §7.1 step 2, 96-bit IV); J0 + 1 starts the data. */
    private final byte[] j0 = new byte[16];
    private long aadLength;

    /** GCM under {@code key}: GHASH on the JDK's if it is opened to us, else on tables of this size. */
    AesGcm(byte[] key, Ghash.Tables tables) {
        this(key, tables, true);
    }

    /** For tests: GCM with GHASH on tables of this size, whatever the JVM opens. */
    static AesGcm withTables(byte[] key, Ghash.Tables tables) {
        return new AesGcm(key, tables, false);
    }

    private AesGcm(byte[] key, Ghash.Tables tables, boolean jdkGhash) {
        this.aes = new AesCtr(key);
        this.tables = tables;
        this.jdkGhash = jdkGhash;
        // H = CIPH_K(0^128)
        byte[] h = aes.keystream(new byte[16], 1);
        hHi = (long) BE.get(h, 0);
        hLo = (long) BE.get(h, 8);
        j0[15] = 1;
    }

    /** Begins a message with the 12-byte IV {@code iv[ivOff..]}. */
    void start(byte[] iv, int ivOff) {
        System.arraycopy(iv, ivOff, j0, 0, 12);
        Ghash g = ghash;
        if (g == null) {
            ghash = g = jdkGhash ? Ghash.forKey(hHi, hLo, tables) : new Ghash(hHi, hLo, tables);
        }
        g.reset();
        aadLength = 0;
    }

    /** Adds associated data; may be called several times before {@link #seal}/{@link #open}. */
    void aad(byte[] b, int off, int len) {
        ghash.update(b, off, len);
        aadLength += len;
    }

    /** Encrypts {@code buf[off, off+len)} in place and writes the tag at {@code buf[off+len..]}. */
    void seal(byte[] buf, int off, int len) {
        // One ECB call for CIPH_K(J0) (block 0, masks the tag) and the data's keystream (J0 + 1...).
        byte[] ks = aes.keystream(j0, 1 + ((len + 15) >>> 4));
        AesCtr.xor(ks, 16, buf, off, len);
        Ghash g = ghash;
        g.padBlock();
        g.update(buf, off, len);
        g.finish(aadLength, len);
        BE.set(buf, off + len, g.hi() ^ (long) BE.get(ks, 0));
        BE.set(buf, off + len + 8, g.lo() ^ (long) BE.get(ks, 8));
    }

    /**
     * Verifies the tag at {@code buf[off+len..]} over the ciphertext {@code buf[off, off+len)} and
     * only then decrypts it in place. Returns false, leaving {@code buf} untouched, on mismatch.
     */
    boolean open(byte[] buf, int off, int len) {
        Ghash g = ghash;
        g.padBlock();
        g.update(buf, off, len);
        g.finish(aadLength, len);
        byte[] ks = aes.keystream(j0, 1 + ((len + 15) >>> 4));
        // Compare all 16 bytes, whatever the first difference (no early exit on the secret tag).
        long diff = (g.hi() ^ (long) BE.get(ks, 0) ^ (long) BE.get(buf, off + len))
                | (g.lo() ^ (long) BE.get(ks, 8) ^ (long) BE.get(buf, off + len + 8));
        if (diff != 0) {
            return false;
        }
        AesCtr.xor(ks, 16, buf, off, len);
        return true;
    }
}
