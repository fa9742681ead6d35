/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.forward;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A ceiling on the heap that media state may take, shared by every media loop of an engine: each peer connection
 * reserves its estimated share when it is created, each retransmission cache its footprint when it is allocated,
 * and both give it back when they go. A reservation that would pass the ceiling is refused, never blocked.
 *
 * <p>Thread-safe and lock-free: peers are created on the callers' threads, caches on the loops'.
 */
public final class MemoryBudget {

    private final long limit;
    private final AtomicLong used = new AtomicLong();

    /** A budget of {@code limit} bytes. */
    public MemoryBudget(long limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("a memory budget must be at least 1 byte, was " + limit);
        }
        this.limit = limit;
    }

    /** A budget that never refuses (for streams outside an engine, benchmarks and tests). */
    public static MemoryBudget unlimited() {
        return new MemoryBudget(Long.MAX_VALUE);
    }

    /** Reserves {@code bytes}; false (and nothing reserved) if that would pass the limit. */
    public boolean tryReserve(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must not be negative, was " + bytes);
        }
        long u;
        do {
            u = used.get();
            if (u > limit - bytes) {
                return false;
            }
        } while (!used.compareAndSet(u, u + bytes));
        return true;
    }

    /** Gives back {@code bytes} reserved before. */
    public void release(long bytes) {
        used.addAndGet(-bytes);
    }

    /** Bytes reserved now. */
    public long used() {
        return used.get();
    }

    /** The ceiling, in bytes. */
    public long limit() {
        return limit;
    }
}
