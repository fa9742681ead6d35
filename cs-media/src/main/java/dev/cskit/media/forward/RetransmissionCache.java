/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.forward;

/**
 * The last packets sent on one outbound stream, in plain (unprotected) form, so a NACK (RFC 4585 §6.2.1)
 * can be answered by sending them again. A ring indexed by sequence number; preallocated, so storing and
 * finding a packet allocates nothing. Not thread-safe: one stream, one thread at a time.
 */
public final class RetransmissionCache {

    private final byte[][] slots;
    private final int[] lengths;
    private final int[] seqs;
    private final int mask;

    /** A cache of {@code capacity} packets (rounded up to a power of two) of at most {@code maxPacket} bytes. */
    public RetransmissionCache(int capacity, int maxPacket) {
        int n = Integer.highestOneBit(Math.max(1, capacity - 1)) << 1;
        slots = new byte[n][maxPacket];
        lengths = new int[n];
        seqs = new int[n];
        mask = n - 1;
        java.util.Arrays.fill(seqs, -1);
    }

    /** Remembers the packet with sequence number {@code seq}; a packet too large is not kept. */
    public void put(int seq, byte[] buf, int off, int len) {
        int i = seq & mask;
        if (len > slots[i].length) {
            seqs[i] = -1;
            return;
        }
        System.arraycopy(buf, off, slots[i], 0, len);
        lengths[i] = len;
        seqs[i] = seq;
    }

    /** Copies the packet with {@code seq} into {@code out} and returns its length, or -1 if it is gone. */
    public int get(int seq, byte[] out, int off) {
        int i = seq & mask;
        if (seqs[i] != seq || out.length - off < lengths[i]) {
            return -1;
        }
        System.arraycopy(slots[i], 0, out, off, lengths[i]);
        return lengths[i];
    }
}
