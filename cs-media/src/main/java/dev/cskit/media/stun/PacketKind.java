/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.stun;

/**
 * What a datagram on the shared media port carries, decided from its first bytes only.
 *
 * <p>RFC 7983 §7 demultiplexing by the first byte: 0–3 STUN, 20–63 DTLS, 128–191 RTP/RTCP
 * (16–19 ZRTP and 64–79 TURN channels are not used by this server and count as {@link #UNKNOWN}).
 * RTP and RTCP share the 128–191 range; RFC 5761 §4 tells them apart by the second byte: RTCP
 * packet types 192–223 (RTP payload types 64–95 with the marker bit) are RTCP.
 *
 * <p>Pure functions; thread-safe.
 */
public enum PacketKind {
    /** A STUN message (RFC 8489), first byte 0–3. */
    STUN,
    /** A DTLS record (RFC 9147), first byte 20–63. */
    DTLS,
    /** An (S)RTP packet, first byte 128–191 and second byte outside 192–223. */
    RTP,
    /** An (S)RTCP packet, first byte 128–191 and second byte 192–223 (RFC 5761 §4). */
    RTCP,
    /** Anything else, including packets too short to classify; drop it. */
    UNKNOWN;

    /**
     * Classifies by the first byte alone (RFC 7983 §7). The 128–191 range is reported as
     * {@link #RTP}; use {@link #classify(byte[], int, int)} to split RTP from RTCP.
     */
    public static PacketKind classify(byte firstByte) {
        int b = firstByte & 0xFF;
        if (b <= 3) {
            return STUN;
        }
        if (b >= 20 && b <= 63) {
            return DTLS;
        }
        if (b >= 128 && b <= 191) {
            return RTP;
        }
        return UNKNOWN;
    }

    /** Classifies from the first two bytes, splitting RTP and RTCP (RFC 5761 §4). */
    public static PacketKind classify(byte firstByte, byte secondByte) {
        PacketKind kind = classify(firstByte);
        if (kind == RTP) {
            int pt = secondByte & 0xFF;
            return pt >= 192 && pt <= 223 ? RTCP : RTP;
        }
        return kind;
    }

    /**
     * Classifies a datagram. Returns {@link #UNKNOWN} for an empty datagram, and for RTP/RTCP or
     * STUN candidates shorter than their fixed headers (12, 8 and 20 bytes respectively).
     */
    public static PacketKind classify(byte[] buf, int off, int len) {
        if (len < 1 || off < 0 || off + len > buf.length) {
            return UNKNOWN;
        }
        PacketKind kind = classify(buf[off]);
        switch (kind) {
            case STUN:
                return len >= StunMessage.HEADER_LENGTH ? STUN : UNKNOWN;
            case RTP:
                if (len < 8) {
                    return UNKNOWN;
                }
                kind = classify(buf[off], buf[off + 1]);
                return kind == RTP && len < 12 ? UNKNOWN : kind;
            default:
                return kind;
        }
    }
}
