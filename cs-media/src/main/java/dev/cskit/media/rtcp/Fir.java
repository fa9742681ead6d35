/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.rtcp;

/**
 * A view of a Full Intra Request (RFC 5104 §4.3.1: PSFB, FMT 4): FCI entries of a target SSRC and an
 * 8-bit command sequence number; the media source SSRC of the header is unused (0).
 * Allocation-free; not thread-safe.
 */
public final class Fir extends FeedbackPacket {
    /** The FIR feedback message type. */
    public static final int FMT = 4;

    /** Wraps exactly one FIR packet; false if it is not one (FCI must be whole 8-byte entries). */
    public boolean wrap(byte[] buf, int off, int len) {
        if (!wrapFeedback(buf, off, len, RtcpCompound.PSFB, FMT) || fciLength == 0 || fciLength % 8 != 0) {
            valid = false;
        }
        return valid;
    }

    /** Number of FCI entries. */
    public int entryCount() {
        return fciLength / 8;
    }

    /** The SSRC asked to send a decoder refresh point. */
    public long entrySsrc(int i) {
        return Bytes.u32(buf, entry(i));
    }

    /** The command sequence number of entry {@code i}. */
    public int entrySequence(int i) {
        return buf[entry(i) + 4] & 0xFF;
    }

    /** Rewrites the target SSRC of entry {@code i} in place. */
    public void setEntrySsrc(int i, long ssrc) {
        Bytes.put32(buf, entry(i), ssrc);
    }

    private int entry(int i) {
        if (i < 0 || i >= entryCount()) {
            throw new IndexOutOfBoundsException("FIR entry " + i + " of " + entryCount());
        }
        return off + FIXED_LENGTH + 8 * i;
    }
}
