/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.bench.load;

import dev.cskit.testkit.ClientPeer;
import dev.cskit.media.rtp.RtpPacket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The synthetic media of the load: every published stream is paced by one of a few pacer threads
 * ({@code load-pacer-N}), and every RTP payload starts with a probe the receiver reads back:
 * <pre>
 *   0..7   System.nanoTime() just before the packet is protected and sent (same clock on both sides: one JVM)
 *   8..15  the stream's probe sequence (64 bit, no wrap)
 *   16..19 the stream id, an index into this object's stream table
 * </pre>
 * The receiving player records {@code now - sent} in an HdrHistogram {@link Recorder} (microseconds) and counts
 * the packets whose sequence is inside the stream's measurement window, so loss per window is exact: expected
 * = window end - window start (probe sequences), received = counted in the window, stragglers included until the
 * harness reads the counts after a grace period.
 *
 * <p>A pacer that falls more than {@link #LATE_NANOS} behind a stream's schedule skips the late slots instead of
 * bursting them (counted in {@link #skipped}): the offered load then drops below the target and the report says so.
 *
 * <p>Thread-safe: {@link #publish} and {@link #keepConsent} from any thread; the listener runs on the client
 * selector threads.
 */
final class MediaLoad implements AutoCloseable {

    static final int PROBE = 20;
    static final long LATE_NANOS = 50_000_000L;
    private static final long CONSENT_NANOS = 5_000_000_000L;
    private static final long HIGHEST_MICROS = 60_000_000L;

    final Recorder latency = new Recorder(HIGHEST_MICROS, 3);
    final LongAdder sent = new LongAdder();
    final LongAdder sendErrors = new LongAdder();
    final LongAdder skipped = new LongAdder();
    final LongAdder unknown = new LongAdder();
    final LongAdder receivedRtp = new LongAdder();
    private final AtomicReferenceArray<Stream> table;
    private final AtomicInteger nextId = new AtomicInteger();
    private final Pacer[] pacers;
    private final List<Stream> all = new CopyOnWriteArrayList<>();

    MediaLoad(int maxStreams, int pacerThreads) {
        table = new AtomicReferenceArray<>(maxStreams);
        pacers = new Pacer[pacerThreads];
        for (int i = 0; i < pacerThreads; i++) {
            pacers[i] = new Pacer();
            Thread t = new Thread(pacers[i], "load-pacer-" + i);
            t.setDaemon(true);
            t.start();
        }
    }

    /** One published stream (audio or video of one publisher). */
    final class Stream {
        final int id;
        final String kind;
        final ClientPeer peer;
        final int payloadType;
        final long ssrc;
        final int payloadBytes;
        final long intervalNanos;
        final long timestampStep;
        long due;
        /** Next probe sequence; written by the pacer only. */
        volatile long seq;
        volatile boolean active;
        volatile long windowStart = Long.MAX_VALUE;
        volatile long windowEnd = Long.MAX_VALUE;
        final AtomicLong windowReceived = new AtomicLong();

        Stream(int id, String kind, ClientPeer peer, int payloadType, long ssrc, int payloadBytes, long intervalNanos,
               long timestampStep) {
            this.id = id;
            this.kind = kind;
            this.peer = peer;
            this.payloadType = payloadType;
            this.ssrc = ssrc;
            this.payloadBytes = payloadBytes;
            this.intervalNanos = intervalNanos;
            this.timestampStep = timestampStep;
        }

        private void pump(long now, byte[] scratch) {
            while (due <= now) {
                if (now - due > LATE_NANOS) {
                    skipped.increment();
                    due += intervalNanos;
                    continue;
                }
                long q = seq;
                putLong(scratch, 0, System.nanoTime());
                putLong(scratch, 8, q);
                putInt(scratch, 16, id);
                int r = peer.sendRtp(payloadType, ssrc, (int) q, q * timestampStep, false, scratch, 0, payloadBytes);
                if (r > 0) {
                    seq = q + 1;
                    sent.increment();
                } else {
                    sendErrors.increment();
                }
                due += intervalNanos;
            }
        }
    }

    /**
     * Adds a stream of {@code payloadBytes} every {@code intervalNanos} to the pacers; it sends once
     * {@link Stream#active} is set.
     */
    Stream publish(String kind, ClientPeer peer, int payloadType, long ssrc, int payloadBytes, long intervalNanos,
                   long timestampStep) {
        int id = nextId.getAndIncrement();
        if (id >= table.length()) {
            throw new IllegalStateException("more streams than the table holds: raise the call count");
        }
        Stream s = new Stream(id, kind, peer, payloadType, ssrc, Math.max(PROBE, payloadBytes), intervalNanos,
                timestampStep);
        // a random phase so that thousands of streams do not send in lockstep
        s.due = System.nanoTime() + (long) (Math.random() * intervalNanos);
        table.set(id, s);
        all.add(s);
        pacers[id % pacers.length].streams.add(s);
        return s;
    }

    /** Sends a Binding request for {@code peer} every ~5 s (RFC 7675 consent freshness). */
    void keepConsent(ClientPeer peer) {
        Pacer p = pacers[Math.floorMod(peer.hashCode(), pacers.length)];
        p.consent.add(new Consent(peer, new long[] {System.nanoTime() + (long) (Math.random() * CONSENT_NANOS)}));
    }

    List<Stream> streams() {
        return all;
    }

    /** The listener every playing peer gets: reads the probe, records latency and counts the window. */
    ClientPeer.Listener receiver() {
        return new ClientPeer.Listener() {
            @Override
            public void onRtp(RtpPacket packet) {
                if (packet.payloadLength() < PROBE) {
                    unknown.increment();
                    return;
                }
                byte[] b = packet.buffer();
                int po = packet.payloadOffset();
                long sentAt = getLong(b, po);
                long q = getLong(b, po + 8);
                int id = getInt(b, po + 16);
                Stream s = id >= 0 && id < table.length() ? table.get(id) : null;
                if (s == null) {
                    unknown.increment();
                    return;
                }
                receivedRtp.increment();
                long micros = (System.nanoTime() - sentAt) / 1000;
                latency.recordValue(Math.max(0, Math.min(HIGHEST_MICROS, micros)));
                if (q >= s.windowStart && q < s.windowEnd) {
                    s.windowReceived.incrementAndGet();
                }
            }
        };
    }

    /** Opens a measurement window on every active stream and resets the latency recorder. */
    void startWindow() {
        for (Stream s : all) {
            s.windowStart = Long.MAX_VALUE;
            s.windowEnd = Long.MAX_VALUE;
            s.windowReceived.set(0);
            s.windowStart = s.seq;
        }
        latency.reset();
    }

    /** Closes the window: packets sent from now on are not counted. */
    void endWindow() {
        for (Stream s : all) {
            s.windowEnd = s.seq;
        }
    }

    /** Expected and received packets in the closed window, summed over the active streams. */
    long[] windowCounts() {
        long expected = 0;
        long received = 0;
        for (Stream s : all) {
            if (s.active && s.windowStart != Long.MAX_VALUE && s.windowEnd != Long.MAX_VALUE) {
                expected += Math.max(0, s.windowEnd - s.windowStart);
                received += s.windowReceived.get();
            }
        }
        return new long[] {expected, received};
    }

    Histogram latencyInterval() {
        return latency.getIntervalHistogram();
    }

    @Override
    public void close() {
        for (Pacer p : pacers) {
            p.running = false;
        }
    }

    /** A peer and its next consent check time (mutated by its pacer only). */
    private record Consent(ClientPeer peer, long[] due) {
    }

    private final class Pacer implements Runnable {
        final List<Stream> streams = new CopyOnWriteArrayList<>();
        final List<Consent> consent = new CopyOnWriteArrayList<>();
        volatile boolean running = true;
        private final byte[] scratch = new byte[1500];

        @Override
        public void run() {
            long nextConsentScan = 0;
            while (running) {
                long now = System.nanoTime();
                for (Stream s : streams) {
                    if (s.active) {
                        s.pump(now, scratch);
                    }
                }
                if (now >= nextConsentScan) {
                    nextConsentScan = now + 50_000_000L;
                    for (Consent c : consent) {
                        if (c.due[0] <= now) {
                            c.due[0] = now + CONSENT_NANOS;
                            if (c.peer.serverAddress() != null) {
                                c.peer.sendBindingRequest();
                            }
                        }
                    }
                }
                LockSupport.parkNanos(200_000L);
            }
        }
    }

    static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    static long getLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    static int getInt(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }
}
