/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.forward;

import dev.cskit.media.rtcp.RtcpWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the server tells one publisher about its media: the receive statistics of each of its sources and, about
 * once a second, a receiver report (RFC 3550 §6.4.2) with an SDES CNAME, as a compound packet needs (§6.1). A
 * unit bound to one publisher, as Pion's report interceptors are; the loop asks it for a report when it is due.
 *
 * <p>Not thread-safe: the loop that owns the publisher owns it.
 */
public final class ReceiverReporter {

    /** A publisher has one audio and one video source (plus RTX): do not grow without bound. */
    private static final int MAX_SOURCES = 8;
    private static final long INTERVAL_NANOS = 1_000_000_000L;
    private static final ReceiveStatistics[] NONE = new ReceiveStatistics[0];

    private final long localSsrc;
    private final String cname;
    private ReceiveStatistics[] sources = NONE;
    private long nextReport = Long.MIN_VALUE;

    /** @param localSsrc the SSRC the server reports as; @param cname its CNAME */
    public ReceiverReporter(long localSsrc, String cname) {
        this.localSsrc = localSsrc;
        this.cname = cname;
    }

    /** One RTP packet of source {@code ssrc} ({@code kind}) arrived; false if the source is one too many to track. */
    public boolean onRtp(long ssrc, MediaKind kind, int clockRate, int seq, long rtpTimestamp, long nowNanos) {
        ReceiveStatistics rs = find(ssrc);
        if (rs == null) {
            if (sources.length >= MAX_SOURCES) {
                return false;
            }
            rs = new ReceiveStatistics(ssrc, kind, clockRate);
            sources = Arrays.copyOf(sources, sources.length + 1);
            sources[sources.length - 1] = rs;
            if (nextReport == Long.MIN_VALUE) {
                nextReport = nowNanos + INTERVAL_NANOS;
            }
        }
        rs.onPacket(seq, rtpTimestamp, nowNanos);
        return true;
    }

    /** The source's sender report arrived (for the report blocks' LSR and DLSR). */
    public void onSenderReport(long ssrc, long ntpTimestamp, long nowNanos) {
        ReceiveStatistics rs = find(ssrc);
        if (rs != null) {
            rs.onSenderReport(ntpTimestamp, nowNanos);
        }
    }

    /** When the next report is due, or {@link Long#MAX_VALUE} while nothing was received. */
    public long nextReport() {
        return nextReport == Long.MIN_VALUE ? Long.MAX_VALUE : nextReport;
    }

    /**
     * Writes the plain report into {@code out} at {@code off} if one is due at {@code nowNanos}, and returns its
     * length; 0 if none is due.
     */
    public int poll(long nowNanos, byte[] out, int off) {
        if (nextReport == Long.MIN_VALUE || nowNanos - nextReport < 0) {
            return 0;
        }
        nextReport = nowNanos + INTERVAL_NANOS;
        List<RtcpWriter.ReportBlock> blocks = new ArrayList<>(sources.length);
        for (ReceiveStatistics rs : sources) {
            RtcpWriter.ReportBlock b = rs.reportBlock(nowNanos);
            if (b != null) {
                blocks.add(b);
            }
        }
        if (blocks.isEmpty()) {
            return 0;
        }
        int len = RtcpWriter.writeReceiverReport(out, off, localSsrc, blocks);
        return len + RtcpWriter.writeSdesCname(out, off + len, localSsrc, cname);
    }

    /** What the server received of each source so far (for call quality); on the owning loop. */
    public List<LinkQuality> quality() {
        List<LinkQuality> out = new ArrayList<>(sources.length);
        for (ReceiveStatistics rs : sources) {
            LinkQuality q = rs.quality();
            if (q != null) {
                out.add(q);
            }
        }
        return out;
    }

    private ReceiveStatistics find(long ssrc) {
        for (ReceiveStatistics r : sources) {
            if (r.ssrc() == ssrc) {
                return r;
            }
        }
        return null;
    }
}
