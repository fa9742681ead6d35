/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.forward;

import dev.cskit.media.rtp.RtpPacket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One stream the server sends to a player (one m-section of a WHEP session), fed from whichever publisher
 * is its source. Rewrites each forwarded packet into the player's negotiation: payload type, SSRC (stable for
 * the stream's whole life, even when the source changes, e.g. on a transfer), sequence number and timestamp
 * (continued across source changes with offsets), and header-extension ids (RFC 8285; extensions the player
 * did not negotiate are dropped, {@code sdes:mid} carries the player's mid).
 *
 * <p>With NACK negotiated, each packet sent is handed to the stream's {@link NackResponder}.
 *
 * <p>Not thread-safe: the forwarding thread owns it. No allocation per packet.
 */
public final class OutboundStream {

    /** {@link #rewrite} results below zero. */
    public static final int NO_CODEC = -1;
    public static final int TOO_LARGE = -2;

    private final TrackSpec out;
    private final byte[] outMid;
    private final int outMidId;
    private final NackResponder nacks;

    private TrackSpec source;
    private long sourceSsrc = -1;
    // Payload type and extension id maps (source → player): bytes, as both fit (PT 0..127 or -1, ids 0..14).
    private final byte[] ptMap = new byte[128];
    private final byte[] extMap = new byte[256];
    private int seqOffset;
    private long tsOffset;
    private boolean started;
    private int lastSeq;
    private long lastTs;
    private long lastNanos;
    private int lastClockRate = 90000;
    private long packets;
    private long octets;
    private long lastSenderTs;
    private int firstSeq = -1;
    private final ReceiverFeedback feedback = new ReceiverFeedback();

    /** A stream with, if NACK was negotiated, a NACK responder of its own (outside a media loop). */
    public OutboundStream(TrackSpec out) {
        this(out, out.nack() ? new NackResponder(out.kind(), new RetransmissionPool()) : null);
    }

    /** A stream whose sent packets go to {@code nacks} (null: NACK was not negotiated). */
    public OutboundStream(TrackSpec out, NackResponder nacks) {
        this.out = out;
        this.outMid = out.mid().getBytes(StandardCharsets.US_ASCII);
        this.outMidId = out.extensionId(TrackSpec.SDES_MID);
        this.nacks = nacks;
        Arrays.fill(ptMap, (byte) -1);
    }

    /** The stream's NACK responder, or null if NACK was not negotiated. */
    public NackResponder nacks() {
        return nacks;
    }

    /** What the player's receiver reports say of this stream. */
    public ReceiverFeedback feedback() {
        return feedback;
    }

    /** The first sequence number sent on this stream, or -1 before the first packet. */
    public int firstSequence() {
        return firstSeq;
    }

    /** The RTP clock rate of what the stream carries (of its current source's codec). */
    public int clockRate() {
        return lastClockRate;
    }

    /** The player's side of this stream. */
    public TrackSpec track() {
        return out;
    }

    /** The SSRC the player receives this stream with. */
    public long ssrc() {
        return out.ssrc();
    }

    /** The publisher's SSRC currently forwarded, or -1. */
    public long sourceSsrc() {
        return sourceSsrc;
    }

    /** Packets and payload octets sent so far (RFC 3550 §6.4.1 sender counts). */
    public long packets() {
        return packets;
    }

    public long octets() {
        return octets;
    }

    /**
     * Rewrites {@code in} (a plain RTP packet of the publisher whose negotiation is {@code from}) into
     * {@code dst[dstOff…]} and returns its length, or {@link #NO_CODEC} if the player has no codec for it,
     * {@link #TOO_LARGE} if it does not fit.
     */
    public int rewrite(RtpPacket in, TrackSpec from, byte[] dst, int dstOff, long nowNanos) {
        if (from != source) {
            bind(from);
            // A new publisher may reuse the old one's SSRC (a client reconnecting with fixed SSRCs) while its
            // sequence and timestamp start afresh: treat it as a source switch all the same.
            sourceSsrc = -1;
        }
        int pt = ptMap[in.payloadType()];
        if (pt < 0) {
            return NO_CODEC;
        }
        if (in.ssrc() != sourceSsrc) {
            switchSource(in, from, nowNanos);
        }
        int seq = (in.sequenceNumber() + seqOffset) & 0xFFFF;
        long ts = (in.timestamp() + tsOffset) & 0xFFFFFFFFL;

        byte[] src = in.buffer();
        int csrcBytes = 4 * in.csrcCount();
        int payloadLen = in.offset() + in.length() - in.payloadOffset();
        // Worst case extension block: 4-byte header + what the input had.
        int room = RtpPacket.FIXED_HEADER_LENGTH + csrcBytes + 4 + (in.payloadOffset() - in.offset()) + payloadLen
                + outMid.length + 2 + 3;
        if (dst.length - dstOff < room) {
            return TOO_LARGE;
        }
        RtpPacket.writeHeader(dst, dstOff, pt, in.marker(), seq, ts, out.ssrc());
        int p = dstOff + RtpPacket.FIXED_HEADER_LENGTH;
        if (csrcBytes > 0) {
            dst[dstOff] = (byte) (dst[dstOff] | in.csrcCount());
            System.arraycopy(src, in.offset() + RtpPacket.FIXED_HEADER_LENGTH, dst, p, csrcBytes);
            p += csrcBytes;
        }
        p = writeExtensions(in, dst, dstOff, p);
        System.arraycopy(src, in.payloadOffset(), dst, p, payloadLen);
        if (in.hasPadding()) {
            dst[dstOff] = (byte) (dst[dstOff] | 0x20);
        }
        p += payloadLen;
        int len = p - dstOff;

        if (!started) {
            firstSeq = seq;
        }
        if (!started || ((seq - lastSeq) & 0x8000) == 0) {
            lastSeq = seq;
            lastTs = ts;
            lastNanos = nowNanos;
            started = true;
        }
        packets++;
        octets += payloadLen - in.paddingLength();
        if (nacks != null) {
            nacks.remember(dst, dstOff, len, nowNanos);
        }
        return len;
    }

    /**
     * Maps a publisher's RTP timestamp (from its sender report) into this stream's timeline, or -1 if the
     * report is not about the current source.
     */
    public long mapTimestamp(long publisherSsrc, long rtpTimestamp) {
        if (publisherSsrc != sourceSsrc) {
            return -1;
        }
        lastSenderTs = (rtpTimestamp + tsOffset) & 0xFFFFFFFFL;
        return lastSenderTs;
    }

    // One-byte form only (RFC 8285 §4.2): every id we hand out is 1..14 and values are at most 16 bytes.
    private int writeExtensions(RtpPacket in, byte[] dst, int dstOff, int p) {
        int start = p + 4;
        int q = start;
        boolean midWritten = false;
        for (int e = in.firstExtension(); e >= 0; e = in.nextExtension(e)) {
            int id = extMap[in.extensionId(e)];
            if (id == 0) {
                continue;
            }
            if (id == outMidId) {
                midWritten = true;
                q = writeElement(dst, q, id, outMid, 0, outMid.length);
            } else {
                q = writeElement(dst, q, id, in.buffer(), in.extensionValueOffset(e), in.extensionValueLength(e));
            }
        }
        if (!midWritten && outMidId > 0 && outMidId <= 14) {
            q = writeElement(dst, q, outMidId, outMid, 0, outMid.length);
        }
        if (q == start) {
            return p;
        }
        while (((q - start) & 3) != 0) {
            dst[q++] = 0;
        }
        int words = (q - start) / 4;
        dst[p] = (byte) 0xBE;
        dst[p + 1] = (byte) 0xDE;
        dst[p + 2] = (byte) (words >>> 8);
        dst[p + 3] = (byte) words;
        dst[dstOff] = (byte) (dst[dstOff] | 0x10);
        return q;
    }

    private static int writeElement(byte[] dst, int q, int id, byte[] value, int off, int len) {
        if (id < 1 || id > 14 || len < 1 || len > 16) {
            return q;
        }
        dst[q] = (byte) ((id << 4) | (len - 1));
        System.arraycopy(value, off, dst, q + 1, len);
        return q + 1 + len;
    }

    private void bind(TrackSpec from) {
        source = from;
        Arrays.fill(ptMap, (byte) -1);
        for (CodecSpec c : from.codecs()) {
            CodecSpec o = out.matching(c);
            if (o != null) {
                ptMap[c.payloadType()] = (byte) o.payloadType();
                lastClockRate = c.clockRate();
            }
        }
        Arrays.fill(extMap, (byte) 0);
        for (var e : from.extensionIds().entrySet()) {
            int outId = out.extensionId(e.getKey());
            if (e.getValue() > 0 && e.getValue() < 256 && outId > 0 && outId <= 14) {
                extMap[e.getValue()] = (byte) outId;
            }
        }
    }

    // A new publisher SSRC (first packet, a re-publish, or a transfer to another agent): keep the player's
    // sequence and timestamp continuous so its jitter buffer and decoder see one stream.
    private void switchSource(RtpPacket in, TrackSpec from, long nowNanos) {
        sourceSsrc = in.ssrc();
        if (!started) {
            seqOffset = 0;
            tsOffset = 0;
            return;
        }
        CodecSpec codec = from.codec(in.payloadType());
        int clockRate = codec != null ? codec.clockRate() : lastClockRate;
        long elapsedTicks = Math.max(1, (nowNanos - lastNanos) / 1000 * clockRate / 1_000_000);
        seqOffset = (lastSeq + 1 - in.sequenceNumber()) & 0xFFFF;
        tsOffset = (lastTs + elapsedTicks - in.timestamp()) & 0xFFFFFFFFL;
    }
}
