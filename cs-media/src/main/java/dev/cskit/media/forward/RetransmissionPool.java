/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.forward;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;

/**
 * Retransmission caches for one media loop. A stream takes its first cache with its first packet (so a stream
 * that never carries media costs nothing), the smallest of its kind; once its bitrate is known the stream moves to
 * one that holds {@link #HISTORY_MILLIS} of it ({@link #sizeFor}), a power of two within the kind's
 * {@link Bounds}. Every cache allocated is reserved against the engine's {@link MemoryBudget}; when the budget is
 * full the stream goes without a cache (it forwards, but cannot answer NACKs) and the refusal is counted. A cache
 * whose stream ended goes back to the pool for the next stream of its size.
 *
 * <p>Not thread-safe: the loop that owns the streams owns the pool (the budget is shared and thread-safe).
 */
public final class RetransmissionPool {

    /**
     * How much of a stream a cache keeps: several round trips for a NACK (RFC 4585 §6.2.1) to come back, and a
     * NACK of a packet older than a jitter buffer's wait is useless to the player anyway.
     */
    public static final long HISTORY_MILLIS = 500;

    /**
     * The smallest and largest cache of a kind, in bytes of packet data (each rounded up to a power of two).
     *
     * @param minBytes the cache a stream takes with its first packet, before its bitrate is known
     * @param maxBytes the largest, whatever the bitrate
     */
    public record Bounds(int minBytes, int maxBytes) {
        public Bounds {
            if (minBytes < 256 || maxBytes < minBytes || maxBytes > (1 << 24)) {
                throw new IllegalArgumentException("retransmission cache bounds need 256 <= minBytes <= maxBytes "
                        + "<= 16 MiB, were " + minBytes + ", " + maxBytes);
            }
            minBytes = ceilPow2(minBytes);
            maxBytes = ceilPow2(maxBytes);
        }
    }

    /** Video: 16 KiB (a few packets) to 512 KiB (500 ms of 8 Mbit/s); 1 Mbit/s takes 64 KiB. */
    public static final Bounds DEFAULT_VIDEO = new Bounds(16 * 1024, 512 * 1024);
    /** Audio: 2 KiB to 32 KiB; 64 kbit/s Opus takes 4 KiB. */
    public static final Bounds DEFAULT_AUDIO = new Bounds(2 * 1024, 32 * 1024);

    /** One index slot per this many bytes of ring: an Opus packet is about 100–200 bytes, a video one up to 1200. */
    private static final int BYTES_PER_SLOT = 128;
    private static final int KEEP_FREE_PER_SIZE = 16;

    private final Bounds video;
    private final Bounds audio;
    private final MemoryBudget budget;
    /** Free caches by capacity. */
    private final TreeMap<Integer, ArrayDeque<RetransmissionCache>> free = new TreeMap<>();
    private long allocated;
    private long refused;
    private long inUse;
    private long bytesInUse;

    public RetransmissionPool(Bounds video, Bounds audio, MemoryBudget budget) {
        this.video = video;
        this.audio = audio;
        this.budget = budget;
    }

    /** A pool with the default bounds and no budget. */
    public RetransmissionPool() {
        this(DEFAULT_VIDEO, DEFAULT_AUDIO, MemoryBudget.unlimited());
    }

    /**
     * The capacity of the cache for a {@code kind} stream of {@code bitsPerSecond} (0: not known yet):
     * {@link #HISTORY_MILLIS} of it, rounded up to a power of two, within the kind's bounds.
     */
    public int sizeFor(MediaKind kind, long bitsPerSecond) {
        Bounds b = kind == MediaKind.VIDEO ? video : audio;
        long bytes = Math.max(0, bitsPerSecond) / 8 * HISTORY_MILLIS / 1000;
        if (bytes <= b.minBytes()) {
            return b.minBytes();
        }
        return bytes >= b.maxBytes() ? b.maxBytes() : ceilPow2((int) bytes);
    }

    /**
     * A cache of {@code capacity} bytes (a {@link #sizeFor} value): a free one, else a new one if the budget has
     * room for it (free caches of other sizes are dropped to make room); null if it has not.
     */
    public RetransmissionCache acquire(int capacity) {
        ArrayDeque<RetransmissionCache> q = free.get(capacity);
        RetransmissionCache c = q == null ? null : q.poll();
        if (c == null) {
            int slots = Math.max(16, capacity / BYTES_PER_SLOT);
            long footprint = RetransmissionCache.footprint(capacity, slots);
            if (!budget.tryReserve(footprint) && !(dropFree() && budget.tryReserve(footprint))) {
                refused++;
                return null;
            }
            c = new RetransmissionCache(slots, capacity);
            allocated++;
        }
        inUse++;
        bytesInUse += c.footprint();
        return c;
    }

    /** Takes back a cache whose stream ended or moved to another size. */
    public void release(RetransmissionCache c) {
        inUse--;
        bytesInUse -= c.footprint();
        ArrayDeque<RetransmissionCache> q = free.computeIfAbsent(c.capacity(), k -> new ArrayDeque<>());
        if (q.size() < KEEP_FREE_PER_SIZE) {
            c.clear();
            q.push(c);
        } else {
            budget.release(c.footprint());
        }
    }

    /** Gives every free cache's bytes back to the budget; whether there were any. */
    private boolean dropFree() {
        boolean any = false;
        for (Map.Entry<Integer, ArrayDeque<RetransmissionCache>> e : free.entrySet()) {
            for (RetransmissionCache c : e.getValue()) {
                budget.release(c.footprint());
                any = true;
            }
            e.getValue().clear();
        }
        return any;
    }

    /** Gives every free cache back to the budget (the loop is closing). */
    public void close() {
        dropFree();
    }

    /** Caches ever allocated (not reused from the pool). */
    public long allocated() {
        return allocated;
    }

    /** Caches the budget refused. */
    public long refused() {
        return refused;
    }

    /** Caches held by streams now. */
    public long inUse() {
        return inUse;
    }

    /** The heap the caches held by streams take now, in bytes. */
    public long bytesInUse() {
        return bytesInUse;
    }

    private static int ceilPow2(int v) {
        return v <= 1 ? 1 : Integer.highestOneBit(v - 1) << 1;
    }
}
