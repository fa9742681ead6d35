/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.forward;

import dev.cskit.media.rtcp.RtcpWriter.ReportBlock;

/**
 * What the server has received of one RTP source, for the report blocks of its receiver reports
 * (RFC 3550 §6.4.1, Appendix A.3 and A.8): extended highest sequence number, cumulative and interval loss,
 * interarrival jitter, and the last sender report's timestamp.
 *
 * <p>Not thread-safe: the media loop that owns the publisher updates it and writes the reports.
 */
public final class ReceiveStatistics {

    private static final int MAX_DROPOUT = 3000;
    private static final int MAX_MISORDER = 100;

    private final long ssrc;
    private final MediaKind kind;
    private final int clockRate;
    private boolean started;
    private int maxSeq;
    private long cycles;
    private int baseSeq;
    private long received;
    private long expectedPrior;
    private long receivedPrior;
    private long lastTransit;
    private boolean haveTransit;
    private double jitter;
    private long lastSrNtpMiddle;
    private long lastSrArrivalNanos;

    public ReceiveStatistics(long ssrc, int clockRate) {
        this(ssrc, MediaKind.VIDEO, clockRate);
    }

    /** Statistics of source {@code ssrc}, of {@code kind}, whose RTP clock runs at {@code clockRate}. */
    public ReceiveStatistics(long ssrc, MediaKind kind, int clockRate) {
        this.ssrc = ssrc;
        this.kind = kind;
        this.clockRate = clockRate <= 0 ? 90000 : clockRate;
    }

    public long ssrc() {
        return ssrc;
    }

    /** What the server received of this source so far; null before the first packet. */
    public LinkQuality quality() {
        if (!started) {
            return null;
        }
        long expected = cycles + maxSeq - baseSeq + 1;
        return new LinkQuality(kind, expected, Math.max(0, expected - received), jitter * 1000.0 / clockRate,
                Double.NaN, false);
    }

    /** One packet of the source arrived at {@code arrivalNanos} (a monotonic clock). */
    public void onPacket(int seq, long rtpTimestamp, long arrivalNanos) {
        if (!started) {
            started = true;
            baseSeq = seq;
            maxSeq = seq;
        } else {
            // RFC 3550 A.1: accept in-order jumps below MAX_DROPOUT, count wraps, ignore old duplicates.
            int delta = (seq - maxSeq) & 0xFFFF;
            if (delta < MAX_DROPOUT) {
                if (seq < maxSeq) {
                    cycles += 0x10000;
                }
                maxSeq = seq;
            } else if (delta <= 0x10000 - MAX_MISORDER) {
                baseSeq = seq; // a large jump: the source restarted; start over
                maxSeq = seq;
                cycles = 0;
                received = 0;
                expectedPrior = 0;
                receivedPrior = 0;
            }
        }
        received++;
        // RFC 3550 A.8: J(i) = J(i-1) + (|D(i-1,i)| - J(i-1)) / 16, D from transit-time differences.
        long arrival = arrivalNanos / 1000 * clockRate / 1_000_000;
        long transit = arrival - rtpTimestamp;
        if (haveTransit) {
            long d = Math.abs(transit - lastTransit);
            if (d < (long) clockRate * 10) {
                jitter += (d - jitter) / 16.0;
            }
        }
        lastTransit = transit;
        haveTransit = true;
    }

    /** The source's sender report arrived: remember the middle 32 bits of its NTP time (RFC 3550 §6.4.1 LSR). */
    public void onSenderReport(long ntpTimestamp, long arrivalNanos) {
        lastSrNtpMiddle = (ntpTimestamp >>> 16) & 0xFFFFFFFFL;
        lastSrArrivalNanos = arrivalNanos;
    }

    /** A report block as of {@code nowNanos}; starts a new loss interval. Null before the first packet. */
    public ReportBlock reportBlock(long nowNanos) {
        if (!started) {
            return null;
        }
        long extendedMax = cycles + maxSeq;
        long expected = extendedMax - baseSeq + 1;
        long lost = Math.max(-0x800000, Math.min(0x7FFFFF, expected - received));
        long expectedInterval = expected - expectedPrior;
        long receivedInterval = received - receivedPrior;
        expectedPrior = expected;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        int fraction = expectedInterval == 0 || lostInterval <= 0 ? 0 : (int) ((lostInterval << 8) / expectedInterval);
        long dlsr = lastSrNtpMiddle == 0 ? 0 : (nowNanos - lastSrArrivalNanos) * 65536 / 1_000_000_000L;
        return new ReportBlock(ssrc, Math.min(255, fraction), (int) lost, extendedMax & 0xFFFFFFFFL,
                (long) jitter, lastSrNtpMiddle, dlsr & 0xFFFFFFFFL);
    }
}
