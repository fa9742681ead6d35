/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.rtcp;

/**
 * A flyweight view of one SR packet (RFC 3550 §6.4.1): sender info and report blocks, with in-place
 * setters for the SSRC, timestamps and counts (an SFU rewrites them when it forwards).
 * Allocation-free; not thread-safe.
 */
public final class SenderReport extends ReportBlocks {
    /** Header, SSRC and sender info: 28 bytes. */
    public static final int FIXED_LENGTH = 28;

    /** Wraps exactly one SR packet of {@code len} bytes; false if it is not one. */
    public boolean wrap(byte[] buf, int off, int len) {
        return wrapReport(buf, off, len, RtcpCompound.SR, FIXED_LENGTH);
    }

    /** The 64-bit NTP timestamp (seconds since 1900 in the high 32 bits, fraction in the low). */
    public long ntpTimestamp() {
        return Bytes.u64(buf, off + 8);
    }

    /** The RTP timestamp matching the NTP time. */
    public long rtpTimestamp() {
        return Bytes.u32(buf, off + 16);
    }

    /** The sender's packet count. */
    public long packetCount() {
        return Bytes.u32(buf, off + 20);
    }

    /** The sender's octet count. */
    public long octetCount() {
        return Bytes.u32(buf, off + 24);
    }

    /** Rewrites the NTP timestamp in place. */
    public void setNtpTimestamp(long ntp) {
        Bytes.put64(buf, off + 8, ntp);
    }

    /** Rewrites the RTP timestamp in place. */
    public void setRtpTimestamp(long ts) {
        Bytes.put32(buf, off + 16, ts);
    }

    /** Rewrites the packet count in place. */
    public void setPacketCount(long count) {
        Bytes.put32(buf, off + 20, count);
    }

    /** Rewrites the octet count in place. */
    public void setOctetCount(long count) {
        Bytes.put32(buf, off + 24, count);
    }
}
