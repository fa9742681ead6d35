/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.rtcp;

/**
 * A view of a Receiver Estimated Maximum Bitrate message (draft-alvestrand-rmcat-remb §2.2: PSFB,
 * FMT 15, "REMB", number of SSRCs, 6-bit exponent, 18-bit mantissa, SSRC list).
 * Allocation-free; not thread-safe.
 */
public final class Remb extends FeedbackPacket {
    /** The application-layer feedback message type. */
    public static final int FMT = 15;

    /** Wraps exactly one REMB packet; false if it is not one (other FMT 15 messages included). */
    public boolean wrap(byte[] buf, int off, int len) {
        if (!wrapFeedback(buf, off, len, RtcpCompound.PSFB, FMT) || fciLength < 8) {
            valid = false;
            return false;
        }
        int p = off + FIXED_LENGTH;
        boolean remb = buf[p] == 'R' && buf[p + 1] == 'E' && buf[p + 2] == 'M' && buf[p + 3] == 'B';
        if (!remb || fciLength < 8 + 4 * (buf[p + 4] & 0xFF)) {
            valid = false;
            return false;
        }
        return true;
    }

    /** The estimated maximum bitrate in bits per second: mantissa × 2^exponent. */
    public long bitrate() {
        int p = off + FIXED_LENGTH + 5;
        int exp = (buf[p] & 0xFF) >>> 2;
        long mantissa = ((buf[p] & 0x03L) << 16) | ((buf[p + 1] & 0xFFL) << 8) | (buf[p + 2] & 0xFFL);
        return exp > 45 ? Long.MAX_VALUE : mantissa << exp;
    }

    /** Number of SSRCs the estimate applies to. */
    public int ssrcCount() {
        return buf[off + FIXED_LENGTH + 4] & 0xFF;
    }

    /** The {@code i}-th SSRC. */
    public long ssrc(int i) {
        if (i < 0 || i >= ssrcCount()) {
            throw new IndexOutOfBoundsException("REMB ssrc " + i + " of " + ssrcCount());
        }
        return Bytes.u32(buf, off + FIXED_LENGTH + 8 + 4 * i);
    }
}
