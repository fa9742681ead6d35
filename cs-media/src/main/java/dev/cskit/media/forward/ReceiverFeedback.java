/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.forward;

/**
 * What a player's receiver reports say about one {@link OutboundStream} (RFC 3550 §6.4.1): packets lost of those
 * expected, interarrival jitter, and the round trip, from the report's LSR and DLSR against the sender reports the
 * server sent the player. Since the forwarded sequence numbers continue the publisher's, a gap the publisher's leg
 * left is a gap at the player too: the loss reported is end to end.
 *
 * <p>The round trip is RFC 3550's {@code A - LSR - DLSR}, with one change: the server relays the publisher's NTP
 * time, not its own, so instead of reading {@code A} and {@code LSR} on one NTP clock it remembers, for the last few
 * sender reports it sent, when it sent each (its monotonic clock), and subtracts that from the report's arrival.
 *
 * <p>Not thread-safe: the media loop that owns the player owns it. Nothing here runs per RTP packet.
 */
public final class ReceiverFeedback {

    /** Sender reports remembered: a player answers the latest within a few seconds; these cover ~8 s of audio. */
    private static final int SENT = 8;
    private static final double NANOS_PER_DLSR_UNIT = 1e9 / 65536;
    /** Round trips above this are a mismatched LSR (or a stalled player), not a measurement. */
    private static final long MAX_RTT_NANOS = 10_000_000_000L;

    private final long[] sentLsr = new long[SENT];
    private final long[] sentNanos = new long[SENT];
    private int nextSent;
    private long reports;
    private long expected;
    private long lost;
    private double jitterSumMs;
    private long rttSamples;
    private double rttSumMs;

    /** The server sent the player a sender report with NTP time {@code ntpTimestamp} at {@code nowNanos}. */
    public void senderReportSent(long ntpTimestamp, long nowNanos) {
        sentLsr[nextSent] = (ntpTimestamp >>> 16) & 0xFFFFFFFFL; // RFC 3550 §6.4.1: LSR is the middle 32 bits
        sentNanos[nextSent] = nowNanos;
        nextSent = (nextSent + 1) % SENT;
    }

    /**
     * A report block about this stream arrived at {@code nowNanos}.
     *
     * @param firstSequence the first sequence number sent on the stream, or -1 if none was sent (then ignored)
     * @param clockRate     the stream's RTP clock rate (jitter is in its units)
     */
    public void onReportBlock(int firstSequence, int cumulativeLost, long extendedHighest, long jitter, long lastSr,
                              long delaySinceLastSr, int clockRate, long nowNanos) {
        if (firstSequence < 0 || clockRate <= 0) {
            return;
        }
        // The player's extended sequence starts its cycles at 0 from the first packet, as ours does.
        long exp = extendedHighest - firstSequence + 1;
        if (exp <= 0 || exp > Integer.MAX_VALUE) {
            return; // not about what we sent (a report from before a restart, or garbage)
        }
        reports++;
        expected = exp;
        lost = Math.max(0, Math.min(exp, cumulativeLost));
        jitterSumMs += jitter * 1000.0 / clockRate;
        if (lastSr != 0) {
            for (int i = 0; i < SENT; i++) {
                if (sentLsr[i] == lastSr && sentNanos[i] != 0) {
                    long rtt = nowNanos - sentNanos[i] - (long) (delaySinceLastSr * NANOS_PER_DLSR_UNIT);
                    if (rtt >= 0 && rtt < MAX_RTT_NANOS) {
                        rttSamples++;
                        rttSumMs += rtt / 1e6;
                    }
                    break;
                }
            }
        }
    }

    /** Whether the player has reported on this stream. */
    public boolean reported() {
        return reports > 0;
    }

    /** The figures so far, or null if the player has not reported. */
    public LinkQuality quality(MediaKind kind) {
        if (reports == 0) {
            return null;
        }
        return new LinkQuality(kind, expected, lost, jitterSumMs / reports,
                rttSamples == 0 ? Double.NaN : rttSumMs / rttSamples, true);
    }
}
