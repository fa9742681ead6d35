/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.srtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Ghash} (both table sizes, and on the JDK's GHASH through {@link JdkGhash}) against GHASH
 * written straight from NIST SP 800-38D §6.3 (Algorithm 1, one bit at a time) and §6.4, for random
 * subkeys, lengths and ways of splitting the input.
 */
class GhashTest {

    /** SP 800-38D §6.3 Algorithm 1: X·Y, bit by bit. Returns {hi, lo}. */
    private static long[] multiply(long xHi, long xLo, long yHi, long yLo) {
        long zHi = 0;
        long zLo = 0;
        long vHi = yHi;
        long vLo = yLo;
        for (int i = 0; i < 128; i++) {
            long bit = i < 64 ? (xHi >>> (63 - i)) & 1 : (xLo >>> (127 - i)) & 1;
            if (bit != 0) {
                zHi ^= vHi;
                zLo ^= vLo;
            }
            long lsb = vLo & 1;
            vLo = (vLo >>> 1) | (vHi << 63);
            vHi = (vHi >>> 1) ^ (lsb != 0 ? 0xE100000000000000L : 0);
        }
        return new long[] {zHi, zLo};
    }

    /** §6.4 and §7.1 step 5: GHASH_H(A || 0^v || C || 0^u || [len(A)]64 || [len(C)]64). */
    private static long[] reference(long hHi, long hLo, byte[] aad, byte[] text) {
        ByteBuffer in = ByteBuffer.allocate(padded(aad.length) + padded(text.length) + 16);
        in.put(aad).position(padded(aad.length));
        in.put(text).position(padded(aad.length) + padded(text.length));
        in.putLong(aad.length * 8L).putLong(text.length * 8L).flip();
        long[] y = {0, 0};
        while (in.hasRemaining()) {
            y = multiply(y[0] ^ in.getLong(), y[1] ^ in.getLong(), hHi, hLo);
        }
        return y;
    }

    private static int padded(int n) {
        return (n + 15) & ~15;
    }

    @ParameterizedTest
    @EnumSource(GhashKind.class)
    void matchesTheBitwiseDefinitionForAnyLengthAndSplit(GhashKind kind) {
        kind.require();
        Random r = new Random(7);
        for (int trial = 0; trial < 400; trial++) {
            long hHi = r.nextLong();
            long hLo = r.nextLong();
            byte[] aad = new byte[r.nextInt(trial < 100 ? 40 : 300)];
            byte[] text = new byte[r.nextInt(trial < 100 ? 40 : 1500)];
            r.nextBytes(aad);
            r.nextBytes(text);
            Ghash g = kind.ghash(hHi, hLo);
            g.reset();
            feedInPieces(g, aad, r);
            g.padBlock();
            feedInPieces(g, text, r);
            g.finish(aad.length, text.length);
            long[] expected = reference(hHi, hLo, aad, text);
            assertEquals(expected[0], g.hi(), "hi, trial " + trial);
            assertEquals(expected[1], g.lo(), "lo, trial " + trial);
        }
    }

    @ParameterizedTest
    @EnumSource(GhashKind.class)
    void resetStartsAnIndependentMessage(GhashKind kind) {
        kind.require();
        Random r = new Random(8);
        long hHi = r.nextLong();
        long hLo = r.nextLong();
        byte[] first = new byte[37];
        byte[] second = new byte[53];
        r.nextBytes(first);
        r.nextBytes(second);
        Ghash g = kind.ghash(hHi, hLo);
        g.reset();
        g.update(first, 0, first.length); // left with a partial block on purpose
        g.reset();
        g.update(second, 0, second.length);
        g.finish(second.length, 0);
        long[] expected = reference(hHi, hLo, second, new byte[0]);
        assertEquals(expected[0], g.hi());
        assertEquals(expected[1], g.lo());
    }

    /** Feeds {@code b} as random-sized pieces at a random offset inside a larger array. */
    private static void feedInPieces(Ghash g, byte[] b, Random r) {
        int slack = r.nextInt(9);
        byte[] holder = new byte[slack + b.length + r.nextInt(9)];
        r.nextBytes(holder);
        System.arraycopy(b, 0, holder, slack, b.length);
        int at = 0;
        while (at < b.length) {
            int n = Math.min(b.length - at, r.nextInt(4) == 0 ? r.nextInt(20) : r.nextInt(200));
            g.update(holder, slack + at, n);
            at += n;
        }
    }
}
