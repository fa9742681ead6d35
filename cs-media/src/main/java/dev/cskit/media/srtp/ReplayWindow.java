/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.srtp;

/**
 * RFC 3711 §3.3.2 replay list as a sliding bitmap of {@link #SIZE} indices below the highest one
 * accepted. Bits are addressed by {@code index mod SIZE}, so advancing only clears the skipped
 * slots. Not thread-safe.
 */
final class ReplayWindow {
    /** 1024 like libwebrtc: video with NACK/RTX reorders far more than the RFC's minimum of 64. */
    static final int SIZE = 1024;
    private static final int MASK = SIZE - 1;

    private final long[] bits = new long[SIZE / 64];
    private long highest = -1;

    /** True if {@code index} was already accepted or is too old to tell. */
    boolean isReplay(long index) {
        if (index > highest) {
            return false;
        }
        if (highest - index >= SIZE) {
            return true;
        }
        int pos = (int) (index & MASK);
        return (bits[pos >>> 6] & (1L << (pos & 63))) != 0;
    }

    /** Records {@code index} as received; call only after the packet authenticated. */
    void accept(long index) {
        if (index > highest) {
            long gap = index - highest;
            if (highest < 0 || gap >= SIZE) {
                java.util.Arrays.fill(bits, 0L);
            } else {
                for (long i = highest + 1; i < index; i++) {
                    int pos = (int) (i & MASK);
                    bits[pos >>> 6] &= ~(1L << (pos & 63));
                }
            }
            highest = index;
        }
        int pos = (int) (index & MASK);
        bits[pos >>> 6] |= 1L << (pos & 63);
    }
}
