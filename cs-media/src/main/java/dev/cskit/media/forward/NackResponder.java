/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.forward;

import dev.cskit.media.rtcp.Nack;

/**
 * Answers a player's generic NACKs (RFC 4585 §6.2.1) for one outbound stream: remembers each packet sent on the
 * stream and sends the lost ones again. A unit bound to one stream, as Pion's NACK responder interceptor is. Its
 * retransmission cache comes from the loop's {@link RetransmissionPool} with the stream's first packet, so a
 * stream that never carries media holds none, and goes back to the pool when the stream ends ({@link #close}).
 * The first cache is the smallest of the stream's kind; each {@link #RATE_WINDOW_NANOS} the stream's bitrate is
 * measured, and the stream moves (with the packets it holds) to a cache of {@link RetransmissionPool#sizeFor}
 * that bitrate when it outgrew its cache or needs less than a quarter of it. With the memory budget full the
 * stream goes on without a cache and asks again at the next window.
 *
 * <p>Not thread-safe: the loop that owns the stream owns it.
 */
public final class NackResponder {

    /** Protects and sends one retransmission: {@code len} plain RTP bytes at the start of {@code buf}. */
    @FunctionalInterface
    public interface Resend {
        /** Returns whether the packet went out. */
        boolean send(byte[] buf, int len);
    }

    /** The bitrate is measured over windows of one second. */
    public static final long RATE_WINDOW_NANOS = 1_000_000_000L;

    private final MediaKind kind;
    private final RetransmissionPool pool;
    private RetransmissionCache cache;
    private boolean started;
    private long windowStart;
    private long windowBytes;
    private long answered;

    public NackResponder(MediaKind kind, RetransmissionPool pool) {
        this.kind = kind;
        this.pool = pool;
    }

    /**
     * Remembers a plain RTP packet sent on the stream at {@code nowNanos} (its sequence number is read from its
     * header).
     */
    public void remember(byte[] packet, int off, int len, long nowNanos) {
        if (len < 12) {
            return;
        }
        if (!started) {
            started = true;
            windowStart = nowNanos;
            cache = pool.acquire(pool.sizeFor(kind, 0));
        }
        windowBytes += len;
        long elapsed = nowNanos - windowStart;
        if (elapsed >= RATE_WINDOW_NANOS) {
            resize(windowBytes * 8 * 1_000_000_000L / elapsed);
            windowStart = nowNanos;
            windowBytes = 0;
        }
        if (cache != null) {
            int seq = ((packet[off + 2] & 0xFF) << 8) | (packet[off + 3] & 0xFF);
            cache.put(seq, packet, off, len);
        }
    }

    private void resize(long bitsPerSecond) {
        int wanted = pool.sizeFor(kind, bitsPerSecond);
        int have = cache == null ? 0 : cache.capacity();
        if (wanted > have || wanted <= have / 4) {
            RetransmissionCache next = pool.acquire(wanted);
            if (next != null && cache != null) {
                cache.copyTo(next);
                pool.release(cache);
            }
            if (next != null) {
                cache = next;
            }
        }
    }

    /** Whether the stream holds a cache (it has carried media, and the budget had room). */
    public boolean hasCache() {
        return cache != null;
    }

    /** The packet bytes the stream's cache keeps, or 0 if it holds none. */
    public int cacheCapacity() {
        return cache == null ? 0 : cache.capacity();
    }

    /**
     * Sends again every packet {@code nack} names that is still cached, using {@code scratch} to copy it into.
     * RFC 4585 §6.2.1: each FCI entry names a lost packet (PID) and a bitmask of the 16 after it (BLP).
     *
     * @return how many packets were sent again
     */
    public int answer(Nack nack, byte[] scratch, Resend resend) {
        if (cache == null) {
            return 0;
        }
        int n = 0;
        for (int i = 0; i < nack.entryCount(); i++) {
            int pid = nack.pid(i);
            int blp = nack.blp(i);
            for (int bit = -1; bit < 16; bit++) {
                if (bit >= 0 && (blp & (1 << bit)) == 0) {
                    continue;
                }
                int len = cache.get((pid + bit + 1) & 0xFFFF, scratch, 0);
                if (len > 0 && resend.send(scratch, len)) {
                    n++;
                }
            }
        }
        answered += n;
        return n;
    }

    /** Retransmissions sent so far. */
    public long answered() {
        return answered;
    }

    /** The stream ended: its cache goes back to the pool. Idempotent. */
    public void close() {
        if (cache != null) {
            pool.release(cache);
            cache = null;
        }
    }
}
