/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.forward;

import java.util.Arrays;

/**
 * The last packets sent on one outbound stream, in plain (unprotected) form, so a NACK (RFC 4585 §6.2.1) can be
 * answered by sending them again. Packets are stored back to back in one byte ring (a small audio packet takes
 * 200 bytes, not a 1500-byte slot) and found through an index by sequence number; a packet is forgotten when its
 * index slot is reused or newer packets overwrote its bytes. Preallocated: storing and finding allocate nothing.
 *
 * <p>Not thread-safe: one stream, one thread.
 */
public final class RetransmissionCache {

    private final byte[] ring;
    private final int[] seqs;
    private final int[] lengths;
    private final long[] starts;
    private final int mask;
    /** Bytes written since the start, as an absolute position in an endless ring. */
    private long written;

    /**
     * A cache indexing {@code packets} packets (rounded up to a power of two) in a ring of {@code bytes} bytes.
     */
    public RetransmissionCache(int packets, int bytes) {
        if (packets < 1 || bytes < 1) {
            throw new IllegalArgumentException("packets and bytes must be positive, were " + packets + ", " + bytes);
        }
        int n = Integer.highestOneBit(Math.max(1, packets - 1)) << 1;
        ring = new byte[bytes];
        seqs = new int[n];
        lengths = new int[n];
        starts = new long[n];
        mask = n - 1;
        Arrays.fill(seqs, -1);
    }

    /** Forgets every packet (before the cache serves another stream). */
    public void clear() {
        Arrays.fill(seqs, -1);
        written = 0;
    }

    /** The heap this cache holds, in bytes (ring and index). */
    public int footprint() {
        return footprint(ring.length, seqs.length);
    }

    /** The heap a cache of {@code bytes} ring bytes and {@code slots} index slots holds. */
    static int footprint(int bytes, int slots) {
        return bytes + slots * (4 + 4 + 8);
    }

    /** The bytes of packet data this cache keeps. */
    public int capacity() {
        return ring.length;
    }

    /**
     * Puts every packet this cache still holds into {@code to}, oldest first (when a stream moves to a cache of
     * another size, so that a NACK right after the move is still answered). Allocates: once per move, not per
     * packet.
     */
    public void copyTo(RetransmissionCache to) {
        Integer[] live = new Integer[seqs.length];
        int n = 0;
        for (int i = 0; i < seqs.length; i++) {
            if (seqs[i] >= 0 && written - starts[i] <= ring.length) {
                live[n++] = i;
            }
        }
        Arrays.sort(live, 0, n, (a, b) -> Long.compare(starts[a], starts[b]));
        for (int k = 0; k < n; k++) {
            int i = live[k];
            int len = lengths[i];
            int at = (int) (starts[i] % ring.length);
            to.put(seqs[i], ring, at, len);
        }
    }

    /** Remembers the packet with sequence number {@code seq}; a packet larger than the ring is not kept. */
    public void put(int seq, byte[] buf, int off, int len) {
        int i = seq & mask;
        if (len > ring.length) {
            seqs[i] = -1;
            return;
        }
        int at = (int) (written % ring.length);
        if (at + len > ring.length) {
            written += ring.length - at; // skip the tail: a packet is never split
            at = 0;
        }
        System.arraycopy(buf, off, ring, at, len);
        seqs[i] = seq;
        lengths[i] = len;
        starts[i] = written;
        written += len;
    }

    /** Copies the packet with {@code seq} into {@code out} and returns its length, or -1 if it is gone. */
    public int get(int seq, byte[] out, int off) {
        int i = seq & mask;
        int len = lengths[i];
        // Its bytes are intact while fewer than ring.length bytes were written after its first byte.
        if (seqs[i] != seq || written - starts[i] > ring.length || out.length - off < len) {
            return -1;
        }
        System.arraycopy(ring, (int) (starts[i] % ring.length), out, off, len);
        return len;
    }
}
