/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.rtcp;

/**
 * Report block accessors shared by {@link SenderReport} and {@link ReceiverReport}
 * (RFC 3550 §6.4.1: 24 bytes each).
 */
public abstract class ReportBlocks {
    /** Size of one report block. */
    public static final int BLOCK_LENGTH = 24;

    byte[] buf = new byte[0];
    int off;
    int blocksAt;
    boolean valid;

    ReportBlocks() {
    }

    boolean wrapReport(byte[] buf, int off, int len, int type, int fixed) {
        valid = false;
        int n = Bytes.packetLength(buf, off, len);
        if (n < 0 || n != len || (buf[off + 1] & 0xFF) != type) {
            return false;
        }
        int rc = buf[off] & 0x1F;
        int pad = Bytes.padding(buf, off, n, fixed + rc * BLOCK_LENGTH);
        if (n < fixed + rc * BLOCK_LENGTH || pad < 0) {
            return false;
        }
        this.buf = buf;
        this.off = off;
        this.blocksAt = off + fixed;
        this.valid = true;
        return true;
    }

    /** Whether the last wrap succeeded. */
    public boolean isValid() {
        return valid;
    }

    /** SSRC of the packet's sender. */
    public long ssrc() {
        return Bytes.u32(buf, off + 4);
    }

    /** Rewrites the sender SSRC in place. */
    public void setSsrc(long ssrc) {
        Bytes.put32(buf, off + 4, ssrc);
    }

    /** Number of report blocks. */
    public int reportCount() {
        return buf[off] & 0x1F;
    }

    private int block(int i) {
        if (i < 0 || i >= reportCount()) {
            throw new IndexOutOfBoundsException("report block " + i + " of " + reportCount());
        }
        return blocksAt + i * BLOCK_LENGTH;
    }

    /** SSRC of the source the block reports on. */
    public long blockSsrc(int i) {
        return Bytes.u32(buf, block(i));
    }

    /** Rewrites a block's source SSRC in place. */
    public void setBlockSsrc(int i, long ssrc) {
        Bytes.put32(buf, block(i), ssrc);
    }

    /** Fraction lost, an 8-bit fixed-point number (lost/256). */
    public int fractionLost(int i) {
        return buf[block(i) + 4] & 0xFF;
    }

    /** Cumulative number of packets lost, a signed 24-bit value. */
    public int cumulativeLost(int i) {
        int b = block(i);
        int v = ((buf[b + 5] & 0xFF) << 16) | ((buf[b + 6] & 0xFF) << 8) | (buf[b + 7] & 0xFF);
        return (v << 8) >> 8;
    }

    /** Extended highest sequence number received. */
    public long extendedHighestSequence(int i) {
        return Bytes.u32(buf, block(i) + 8);
    }

    /** Interarrival jitter in timestamp units. */
    public long jitter(int i) {
        return Bytes.u32(buf, block(i) + 12);
    }

    /** Last SR timestamp (middle 32 bits of its NTP time). */
    public long lastSr(int i) {
        return Bytes.u32(buf, block(i) + 16);
    }

    /** Delay since the last SR in 1/65536 s. */
    public long delaySinceLastSr(int i) {
        return Bytes.u32(buf, block(i) + 20);
    }
}
