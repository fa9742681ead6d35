/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.forward;

import java.util.ArrayDeque;

/**
 * Retransmission caches for one media loop, sized by kind (audio packets are few and small, video ones many and
 * large) and handed out when a stream first carries media, so a stream that never does costs nothing. A cache
 * whose stream ended goes back to the pool for the next one.
 *
 * <p>Not thread-safe: the loop that owns the streams owns the pool.
 */
public final class RetransmissionPool {

    /**
     * Default video cache: 128 packets in 48 KiB, about 0.4 s of 1 Mbit/s video: several round trips for a NACK
     * (RFC 4585 §6.2.1) within 2 × 50 KiB a call (its two video streams), against 2 × 768 KiB before.
     */
    public static final Size DEFAULT_VIDEO = new Size(128, 48 * 1024);
    /** Default audio cache: 64 packets in 8 KiB, a second and more of Opus. */
    public static final Size DEFAULT_AUDIO = new Size(64, 8 * 1024);

    /**
     * How large one cache is.
     *
     * @param packets packets indexed (a power of two is used)
     * @param bytes   bytes of packet data kept
     */
    public record Size(int packets, int bytes) {
        public Size {
            if (packets < 1 || bytes < 256) {
                throw new IllegalArgumentException("a retransmission cache needs packets >= 1 and bytes >= 256");
            }
        }
    }

    private static final int KEEP_FREE = 64;

    private final Size video;
    private final Size audio;
    private final ArrayDeque<RetransmissionCache> freeVideo = new ArrayDeque<>();
    private final ArrayDeque<RetransmissionCache> freeAudio = new ArrayDeque<>();
    private long allocated;
    private long inUse;

    public RetransmissionPool(Size video, Size audio) {
        this.video = video;
        this.audio = audio;
    }

    /** A pool with the default sizes. */
    public RetransmissionPool() {
        this(DEFAULT_VIDEO, DEFAULT_AUDIO);
    }

    /** A cache for a stream of {@code kind}: a free one, or a new one. */
    public RetransmissionCache acquire(MediaKind kind) {
        ArrayDeque<RetransmissionCache> free = kind == MediaKind.VIDEO ? freeVideo : freeAudio;
        RetransmissionCache c = free.poll();
        if (c == null) {
            Size s = kind == MediaKind.VIDEO ? video : audio;
            c = new RetransmissionCache(s.packets(), s.bytes());
            allocated++;
        }
        inUse++;
        return c;
    }

    /** Takes back a cache whose stream ended. */
    public void release(MediaKind kind, RetransmissionCache c) {
        inUse--;
        ArrayDeque<RetransmissionCache> free = kind == MediaKind.VIDEO ? freeVideo : freeAudio;
        if (free.size() < KEEP_FREE) {
            c.clear();
            free.push(c);
        }
    }

    /** Caches ever allocated (not reused from the pool). */
    public long allocated() {
        return allocated;
    }

    /** Caches held by streams now. */
    public long inUse() {
        return inUse;
    }
}
