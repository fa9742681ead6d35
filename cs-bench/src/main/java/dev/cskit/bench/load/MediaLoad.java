/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.bench.load;

import dev.cskit.media.rtp.RtpPacket;
import dev.cskit.media.srtp.SrtpContext;
import dev.cskit.testkit.ClientPeer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The synthetic media of the load, on the clients' one event loop ({@link ClientNet}): each published stream sends
 * bursts of prebuilt packets (audio one packet every 20 ms; video a frame of several packets 30 times a second, as
 * an encoder does), only the sequence number and timestamp patched and (for cskit) SRTP-protected per packet; the
 * packets written in one pacer tick go out with one {@code sendmmsg} per socket. Each stream remembers when it sent
 * each sequence number; a player identifies a packet by its SSRC and sequence number without decrypting it (the
 * server keeps the publisher's sequence numbers on a stream with one source), so the client-measured one-way delay
 * and the loss per window are exact and cost no crypto.
 *
 * <p>Not thread-safe, on purpose: everything runs on the clients' event loop; the harness reads through
 * {@link #onLoop}.
 */
final class MediaLoad {

    /** A pacer more than this late skips the late bursts instead of sending them at once (counted). */
    static final long LATE_NANOS = 50_000_000L;
    private static final long TICK_NANOS = 2_000_000L;
    private static final long CONSENT_NANOS = 5_000_000_000L;
    private static final int SENT_SLOTS = 8192;

    private final ClientNet net;
    final List<Stream> streams = new ArrayList<>();
    private final List<ClientPeer> consent = new ArrayList<>();
    private final List<ClientNet.Endpoint> dirty = new ArrayList<>();
    private final byte[] scratch = new byte[1600];
    final Histogram latencyMicros = new Histogram(60_000_000L, 3);
    long sent;
    long skipped;
    long unknown;
    private long nextConsentScan;
    private int consentNext;

    MediaLoad(ClientNet net) {
        this.net = net;
        net.media = this;
    }

    /** Starts the pacer on the clients' loop. */
    void start() {
        net.loop.scheduleAtFixedRate(this::tick, TICK_NANOS, TICK_NANOS, TimeUnit.NANOSECONDS);
    }

    /** Runs {@code r} on the clients' loop and waits for it. */
    void onLoop(Runnable r) throws Exception {
        net.loop.submit(r).get(30, TimeUnit.SECONDS);
    }

    /** One published stream (audio or video of one publisher). */
    final class Stream {
        final boolean cskit;
        final ClientNet.Endpoint from;
        final InetSocketAddress to;
        final SrtpContext tx;
        final int length;
        final int burst;
        final long intervalNanos;
        final long tsStep;
        final long[] sentAt = new long[SENT_SLOTS];
        final byte[] template;
        boolean active;
        long due;
        long seq;
        long windowStart = Long.MAX_VALUE;
        long windowEnd = Long.MAX_VALUE;
        long windowReceived;

        Stream(boolean cskit, ClientNet.Endpoint from, InetSocketAddress to, SrtpContext tx, int pt, long ssrc,
               int length, int burst, long intervalNanos, long tsStep) {
            this.cskit = cskit;
            this.from = from;
            this.to = to;
            this.tx = tx;
            this.length = length;
            this.burst = burst;
            this.intervalNanos = intervalNanos;
            this.tsStep = tsStep;
            this.template = new byte[length];
            RtpPacket.writeHeader(template, 0, pt, false, 0, 0, ssrc);
            for (int i = RtpPacket.FIXED_HEADER_LENGTH; i < length; i++) {
                template[i] = (byte) (i * 7);
            }
        }

        private void pump(long now) {
            while (due <= now) {
                if (now - due > LATE_NANOS) {
                    skipped += burst;
                } else {
                    for (int k = 0; k < burst; k++) {
                        send(now, k == burst - 1);
                    }
                }
                due += intervalNanos;
            }
        }

        private void send(long now, boolean marker) {
            System.arraycopy(template, 0, scratch, 0, length);
            RtpPacket.writeHeader(scratch, 0, template[1] & 0x7F, marker, (int) seq & 0xFFFF,
                    (seq / burst * tsStep) & 0xFFFFFFFFL, readSsrc());
            int n = tx == null ? length : tx.protectRtp(scratch, 0, length);
            if (n <= 0) {
                return;
            }
            ByteBuf b = from.channel.alloc().directBuffer(n).writeBytes(scratch, 0, n);
            from.channel.write(new DatagramPacket(b, to), from.channel.voidPromise());
            if (!from.dirty) {
                from.dirty = true;
                dirty.add(from);
            }
            sentAt[(int) (seq & (SENT_SLOTS - 1))] = System.nanoTime();
            seq++;
            sent++;
        }

        private long readSsrc() {
            return ((template[8] & 0xFFL) << 24) | ((template[9] & 0xFFL) << 16) | ((template[10] & 0xFFL) << 8)
                    | (template[11] & 0xFFL);
        }
    }

    /** Adds a stream (inactive); on the loop. */
    Stream add(boolean cskit, ClientNet.Endpoint from, InetSocketAddress to, SrtpContext tx, int pt, long ssrc,
               int length, int burst, long intervalNanos, long tsStep) {
        Stream s = new Stream(cskit, from, to, tx, pt, ssrc, length, burst, intervalNanos, tsStep);
        streams.add(s);
        return s;
    }

    /** Keeps {@code peer}'s ICE consent fresh (RFC 7675) with a check every 5 s; on the loop. */
    void keepConsent(ClientPeer peer) {
        consent.add(peer);
    }

    /** Starts or stops the streams of one kind (cskit or relay); on the loop. */
    void activate(boolean cskit, boolean on) {
        long now = System.nanoTime();
        for (Stream s : streams) {
            if (s.cskit == cskit) {
                s.active = on;
                s.due = now + ThreadLocalRandom.current().nextLong(s.intervalNanos); // no lockstep
            }
        }
    }

    private void tick() {
        long now = System.nanoTime();
        for (Stream s : streams) {
            if (s.active) {
                s.pump(now);
            }
        }
        for (ClientNet.Endpoint e : dirty) {
            e.dirty = false;
            e.channel.flush();
        }
        dirty.clear();
        if (now >= nextConsentScan && !consent.isEmpty()) {
            // a slice of the peers every 50 ms: each gets a check about every 5 s
            nextConsentScan = now + 50_000_000L;
            int slice = Math.max(1, (int) (consent.size() * 50_000_000L / CONSENT_NANOS));
            for (int i = 0; i < slice; i++) {
                consentNext = (consentNext + 1) % consent.size();
                consent.get(consentNext).sendBindingRequest();
            }
        }
    }

    /** A player received an RTP packet with {@code ssrc} and sequence number {@code seq16}; on the loop. */
    void onRtp(ClientNet.Endpoint player, long ssrc, int seq16) {
        Stream s = player.source(ssrc);
        if (s == null || s.seq == 0) {
            unknown++;
            return;
        }
        long last = s.seq - 1;
        long ext = last - ((last - seq16) & 0xFFFF);
        latencyMicros.recordValue(Math.max(0, Math.min(60_000_000L,
                (System.nanoTime() - s.sentAt[(int) (ext & (SENT_SLOTS - 1))]) / 1000)));
        if (ext >= s.windowStart && ext < s.windowEnd) {
            s.windowReceived++;
        }
    }

    /** Opens a window on the active streams and resets the delay histogram; on the loop. */
    void startWindow() {
        for (Stream s : streams) {
            s.windowStart = s.active ? s.seq : Long.MAX_VALUE;
            s.windowEnd = Long.MAX_VALUE;
            s.windowReceived = 0;
        }
        latencyMicros.reset();
    }

    /** Closes the window: packets sent from now on are not counted; on the loop. */
    void endWindow() {
        for (Stream s : streams) {
            s.windowEnd = s.seq;
        }
    }

    /** Expected and received packets of the closed window; on the loop. */
    long[] windowCounts() {
        long expected = 0;
        long received = 0;
        for (Stream s : streams) {
            if (s.windowStart != Long.MAX_VALUE && s.windowEnd != Long.MAX_VALUE) {
                expected += Math.max(0, s.windowEnd - s.windowStart);
                received += s.windowReceived;
            }
        }
        return new long[] {expected, received};
    }
}
