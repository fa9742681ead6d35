/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.srtp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * GHASH (NIST SP 800-38D §6.4) under one hash subkey H, in plain Java with precomputed tables and
 * no allocation per message. Use: {@link #reset}, {@link #update}... (the associated data),
 * {@link #padBlock}, {@link #update}... (the ciphertext), {@link #finish}, then read
 * {@link #hi()}/{@link #lo()}. Not thread-safe.
 *
 * <p>Why tables and not the JDK: the JDK's GHASH runs on the CPU's carry-less multiply, but it is
 * internal to {@code java.base} and only reachable through {@code Cipher} {@code AES/GCM}, which
 * builds a new engine and a new GHASH for every IV (about 1.1 kB per message on JDK 17 and 25).
 *
 * <p>A field element is held as two longs: {@code hi} is bytes 0-7 of the block read big-endian,
 * {@code lo} bytes 8-15. The coefficient of x^0 is the top bit of byte 0 (SP 800-38D §6.3), so
 * multiplying by x is a right shift, and what falls off the end is folded back with
 * R = 0xE1 || 0^120. Multiplying by H is linear, so X·H is the XOR over the 16 bytes x_i of X of
 * (x_i at byte i)·H, which a table indexed by the byte value gives in one lookup. One table per
 * byte position would take 64 KiB per key; instead {@link Tables#FAST} keeps the tables of
 * positions 0, 4, 8 and 12 (16 KiB) and reaches position 4m+j as (x at byte 4m)·H·x^{8j}, with
 * three multiplications by x^8 (a shift and one lookup in {@link #REDUCE}) per block.
 * {@link Tables#COMPACT} keeps only position 0 (4 KiB) and does fifteen of those steps
 * (Shoup's 8-bit method): about half the speed, for SRTCP.
 *
 * <p>{@link #forKey} prefers the JDK's GHASH ({@link JdkGhash}) when the JVM opens it to cskit; then
 * no tables are built, and this class only buffers partial blocks and adds the padding and lengths.
 */
final class Ghash {
    /** How much table memory to trade for speed. */
    enum Tables {
        /** Four 256-entry tables, 16 KiB. */
        FAST,
        /** One 256-entry table, 4 KiB. */
        COMPACT
    }

    private static final VarHandle BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    /** x^128 = x^7 + x^2 + x + 1, in this bit order. */
    private static final long R = 0xE100000000000000L;
    /**
     * REDUCE[r]: what the byte r shifted out of {@code lo} by a multiplication by x^8 adds to
     * {@code hi}. Bit j of r (j = 0 is the coefficient of x^127) becomes x^(135 - j), which is
     * x^128·x^(7 - j), i.e. R shifted right by 7 - j.
     */
    private static final long[] REDUCE = new long[256];

    static {
        for (int r = 0; r < 256; r++) {
            long v = 0;
            for (int j = 0; j < 8; j++) {
                if ((r & (1 << j)) != 0) {
                    v ^= R >>> (7 - j);
                }
            }
            REDUCE[r] = v;
        }
    }

    /** Entry (t, b) at index (t * 256 + b) * 2: the hi word, then the lo word; null on the JDK path. */
    private final long[] table;
    private final boolean fast;
    /** The JDK's GHASH ({@link JdkGhash}), or null. */
    private final Object jdk;
    /** Y: bytes 0-7 and 8-15, big-endian (the JDK's own state array on the JDK path). */
    private final long[] y;
    private final byte[] partial = new byte[16];
    private int partialLength;

    /**
     * A GHASH for the subkey {@code H = (hHi, hLo)}: the JDK's if {@link JdkGhash#AVAILABLE}, else
     * tables of the given size.
     */
    static Ghash forKey(long hHi, long hLo, Tables tables) {
        return JdkGhash.AVAILABLE ? new Ghash(hHi, hLo) : new Ghash(hHi, hLo, tables);
    }

    /** On the JDK's GHASH; only if {@link JdkGhash#AVAILABLE}. */
    Ghash(long hHi, long hLo) {
        byte[] h = new byte[16];
        BE.set(h, 0, hHi);
        BE.set(h, 8, hLo);
        jdk = JdkGhash.create(h);
        y = JdkGhash.state(jdk);
        table = null;
        fast = false;
    }

    /** On tables of the given size, for the subkey {@code H = (hHi, hLo)}. */
    Ghash(long hHi, long hLo, Tables tables) {
        jdk = null;
        y = new long[2];
        fast = tables == Tables.FAST;
        int positions = fast ? 4 : 1;
        int step = 16 / positions; // byte distance between tabulated positions
        table = new long[positions * 512];
        // The single-bit entries: bit k of byte i is x^(8i + k) (k = 0 is the top bit), so walk
        // H·x^0, H·x^1, ... and keep those that land on a tabulated byte.
        long vHi = hHi;
        long vLo = hLo;
        for (int power = 0; power < 8 * (16 - step + 1); power++) {
            int position = power >>> 3;
            if (position % step == 0) {
                int at = index(position / step, 0x80 >>> (power & 7));
                table[at] = vHi;
                table[at + 1] = vLo;
            }
            long carry = vLo & 1;
            vLo = (vLo >>> 1) | (vHi << 63);
            vHi = (vHi >>> 1) ^ (-carry & R);
        }
        // Every other byte value is the XOR of its bits' entries.
        for (int t = 0; t < positions; t++) {
            for (int b = 3; b < 256; b++) {
                int low = b & -b;
                if (low != b) {
                    int at = index(t, b);
                    int rest = index(t, b ^ low);
                    int bit = index(t, low);
                    table[at] = table[rest] ^ table[bit];
                    table[at + 1] = table[rest + 1] ^ table[bit + 1];
                }
            }
        }
    }

    private static int index(int t, int b) {
        return (t << 9) | (b << 1);
    }

    static long bigEndianLong(byte[] b, int off) {
        return (long) BE.get(b, off);
    }

    /** Starts a new message: Y = 0. */
    void reset() {
        y[0] = 0;
        y[1] = 0;
        partialLength = 0;
    }

    /** Hashes {@code b[off, off+len)}; a trailing partial block waits for more input or {@link #padBlock}. */
    void update(byte[] b, int off, int len) {
        if (partialLength > 0) {
            int take = Math.min(16 - partialLength, len);
            System.arraycopy(b, off, partial, partialLength, take);
            partialLength += take;
            off += take;
            len -= take;
            if (partialLength < 16) {
                return;
            }
            blocks(partial, 0, 1);
            partialLength = 0;
        }
        int whole = len >>> 4;
        if (whole > 0) {
            blocks(b, off, whole);
        }
        int rest = len & 15;
        if (rest > 0) {
            System.arraycopy(b, off + (whole << 4), partial, 0, rest);
            partialLength = rest;
        }
    }

    /** Zero-pads a pending partial block and hashes it (SP 800-38D §7.1 step 5: the 0^v and 0^u). */
    void padBlock() {
        if (partialLength > 0) {
            java.util.Arrays.fill(partial, partialLength, 16, (byte) 0);
            blocks(partial, 0, 1);
            partialLength = 0;
        }
    }

    /** Pads, then hashes the length block [len(A)]64 || [len(C)]64, lengths given in bytes. */
    void finish(long aadBytes, long textBytes) {
        padBlock();
        BE.set(partial, 0, aadBytes << 3);
        BE.set(partial, 8, textBytes << 3);
        blocks(partial, 0, 1);
    }

    /** The hash, bytes 0-7 big-endian. */
    long hi() {
        return y[0];
    }

    /** The hash, bytes 8-15 big-endian. */
    long lo() {
        return y[1];
    }

    /** Y = (Y XOR X)·H for each of {@code n} whole blocks at {@code b[off..]}. */
    private void blocks(byte[] b, int off, int n) {
        if (jdk != null) {
            JdkGhash.update(jdk, b, off, n << 4);
        } else if (fast) {
            fastBlocks(b, off, n);
        } else {
            compactBlocks(b, off, n);
        }
    }

    /**
     * Index into {@link #table} of table t's entry for the byte {@code x >>> shift} (low 8 bits).
     * The entry index is that byte times 2, so shift one bit less and mask 0x1fe; with constant
     * arguments this is a shift, an AND and an OR.
     */
    private static int at(int t, long x, int shift) {
        int twice = shift == 0 ? (int) x << 1 : (int) (x >>> (shift - 1));
        return (twice & 0x1fe) | (t << 9);
    }

    private void fastBlocks(byte[] b, int off, int n) {
        final long[] t = table;
        final long[] reduce = REDUCE;
        final long[] y = this.y;
        long zHi = y[0];
        long zLo = y[1];
        for (int k = 0; k < n; k++, off += 16) {
            long xHi = zHi ^ (long) BE.get(b, off);
            long xLo = zLo ^ (long) BE.get(b, off + 8);
            // Group j sums the bytes 4m + j (m = 0..3) through table m; X·H is
            // ((G3·x^8 + G2)·x^8 + G1)·x^8 + G0. Byte i < 8 sits at shift 56 - 8i of xHi, byte
            // i >= 8 at shift 120 - 8i of xLo.
            int i0 = at(0, xHi, 32);
            int i1 = at(1, xHi, 0);
            int i2 = at(2, xLo, 32);
            int i3 = at(3, xLo, 0);
            long aHi = t[i0] ^ t[i1] ^ t[i2] ^ t[i3];
            long aLo = t[i0 + 1] ^ t[i1 + 1] ^ t[i2 + 1] ^ t[i3 + 1];
            i0 = at(0, xHi, 40);
            i1 = at(1, xHi, 8);
            i2 = at(2, xLo, 40);
            i3 = at(3, xLo, 8);
            long gHi = t[i0] ^ t[i1] ^ t[i2] ^ t[i3];
            long gLo = t[i0 + 1] ^ t[i1 + 1] ^ t[i2 + 1] ^ t[i3 + 1];
            int r = (int) aLo & 0xff;
            aLo = ((aLo >>> 8) | (aHi << 56)) ^ gLo;
            aHi = (aHi >>> 8) ^ reduce[r] ^ gHi;
            i0 = at(0, xHi, 48);
            i1 = at(1, xHi, 16);
            i2 = at(2, xLo, 48);
            i3 = at(3, xLo, 16);
            gHi = t[i0] ^ t[i1] ^ t[i2] ^ t[i3];
            gLo = t[i0 + 1] ^ t[i1 + 1] ^ t[i2 + 1] ^ t[i3 + 1];
            r = (int) aLo & 0xff;
            aLo = ((aLo >>> 8) | (aHi << 56)) ^ gLo;
            aHi = (aHi >>> 8) ^ reduce[r] ^ gHi;
            i0 = at(0, xHi, 56);
            i1 = at(1, xHi, 24);
            i2 = at(2, xLo, 56);
            i3 = at(3, xLo, 24);
            gHi = t[i0] ^ t[i1] ^ t[i2] ^ t[i3];
            gLo = t[i0 + 1] ^ t[i1 + 1] ^ t[i2 + 1] ^ t[i3 + 1];
            r = (int) aLo & 0xff;
            zLo = ((aLo >>> 8) | (aHi << 56)) ^ gLo;
            zHi = (aHi >>> 8) ^ reduce[r] ^ gHi;
        }
        y[0] = zHi;
        y[1] = zLo;
    }

    private void compactBlocks(byte[] b, int off, int n) {
        final long[] t = table;
        final long[] reduce = REDUCE;
        final long[] y = this.y;
        long zHi = y[0];
        long zLo = y[1];
        for (int k = 0; k < n; k++, off += 16) {
            long xHi = zHi ^ (long) BE.get(b, off);
            long xLo = zLo ^ (long) BE.get(b, off + 8);
            // Horner from byte 15 down to byte 0: Z = Z·x^8 + (x_i at byte 0)·H.
            int i = at(0, xLo, 0);
            long aHi = t[i];
            long aLo = t[i + 1];
            for (int shift = 8; shift < 64; shift += 8) {
                i = at(0, xLo, shift);
                int r = (int) aLo & 0xff;
                aLo = ((aLo >>> 8) | (aHi << 56)) ^ t[i + 1];
                aHi = (aHi >>> 8) ^ reduce[r] ^ t[i];
            }
            for (int shift = 0; shift < 64; shift += 8) {
                i = at(0, xHi, shift);
                int r = (int) aLo & 0xff;
                aLo = ((aLo >>> 8) | (aHi << 56)) ^ t[i + 1];
                aHi = (aHi >>> 8) ^ reduce[r] ^ t[i];
            }
            zHi = aHi;
            zLo = aLo;
        }
        y[0] = zHi;
        y[1] = zLo;
    }
}
