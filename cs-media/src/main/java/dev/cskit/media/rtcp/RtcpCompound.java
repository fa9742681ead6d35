/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.rtcp;

/**
 * A cursor over the packets of a compound RTCP packet (RFC 3550 §6.1, §6.4.1) in a caller's buffer.
 *
 * <p>{@link #wrap} checks that the whole datagram is a sequence of RTCP packets (version 2,
 * lengths that tile the datagram exactly, valid padding) and returns false otherwise; then
 * {@link #next()} steps through them. Reduced-size RTCP (RFC 5506: a single feedback packet) is
 * accepted; the "first packet must be SR/RR" rule is not enforced. Hand the current packet to a
 * type view ({@link SenderReport}, {@link ReceiverReport}, {@link Sdes}, {@link Bye}, {@link Nack},
 * {@link Pli}, {@link Fir}, {@link Remb}) with {@link #packetOffset()} / {@link #packetLength()}.
 *
 * <p>Allocation-free. Not thread-safe; one instance per thread.
 */
public final class RtcpCompound {
    /** Sender report (RFC 3550 §6.4.1). */
    public static final int SR = 200;
    /** Receiver report (RFC 3550 §6.4.2). */
    public static final int RR = 201;
    /** Source description (RFC 3550 §6.5). */
    public static final int SDES = 202;
    /** Goodbye (RFC 3550 §6.6). */
    public static final int BYE = 203;
    /** Application-defined (RFC 3550 §6.7). */
    public static final int APP = 204;
    /** Transport-layer feedback (RFC 4585 §6.2). */
    public static final int RTPFB = 205;
    /** Payload-specific feedback (RFC 4585 §6.3). */
    public static final int PSFB = 206;

    private byte[] buf = new byte[0];
    private int end;
    private int cur = -1;
    private int curLen;
    private int nextOff;

    /** Points the cursor before the first packet; returns false if the datagram is not valid RTCP. */
    public boolean wrap(byte[] buf, int off, int len) {
        cur = -1;
        curLen = 0;
        end = 0;
        nextOff = 0;
        if (buf == null || off < 0 || len < 4 || off + len > buf.length || off + len < 0) {
            return false;
        }
        int p = off;
        int stop = off + len;
        while (p < stop) {
            int n = Bytes.packetLength(buf, p, stop - p);
            if (n < 0 || Bytes.padding(buf, p, n, 4) < 0) {
                return false;
            }
            p += n;
        }
        this.buf = buf;
        this.end = stop;
        this.nextOff = off;
        return true;
    }

    /** Moves to the next packet; false at the end. */
    public boolean next() {
        if (nextOff >= end) {
            cur = -1;
            return false;
        }
        cur = nextOff;
        curLen = (Bytes.u16(buf, cur + 2) + 1) * 4;
        nextOff = cur + curLen;
        return true;
    }

    /** The packet type of the current packet (200–206 for the known ones). */
    public int packetType() {
        return buf[cur + 1] & 0xFF;
    }

    /** The 5-bit count field: report count, source count, or feedback message type (FMT). */
    public int count() {
        return buf[cur] & 0x1F;
    }

    /** Absolute offset of the current packet. */
    public int packetOffset() {
        return cur;
    }

    /** Length in bytes of the current packet, header included. */
    public int packetLength() {
        return curLen;
    }

    /** The SSRC after the common header (sender SSRC, or the first SDES/BYE source); -1 if too short. */
    public long senderSsrc() {
        return curLen >= 8 ? Bytes.u32(buf, cur + 4) : -1;
    }
}
