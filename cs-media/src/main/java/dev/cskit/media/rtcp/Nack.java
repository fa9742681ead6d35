/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.rtcp;

/**
 * A view of a generic NACK (RFC 4585 §6.2.1: RTPFB, FMT 1): FCI entries of a packet id (PID) and a
 * bitmask of the 16 following lost packets (BLP). Allocation-free; not thread-safe.
 */
public final class Nack extends FeedbackPacket {
    /** The generic NACK feedback message type. */
    public static final int FMT = 1;

    /** Wraps exactly one generic NACK packet; false if it is not one (FCI must be whole entries). */
    public boolean wrap(byte[] buf, int off, int len) {
        if (!wrapFeedback(buf, off, len, RtcpCompound.RTPFB, FMT) || fciLength == 0 || (fciLength & 3) != 0) {
            valid = false;
        }
        return valid;
    }

    /** Number of PID/BLP entries. */
    public int entryCount() {
        return fciLength / 4;
    }

    /** Packet id of entry {@code i}. */
    public int pid(int i) {
        return Bytes.u16(buf, entry(i));
    }

    /** Bitmask of following lost packets of entry {@code i} (bit 0 = PID+1). */
    public int blp(int i) {
        return Bytes.u16(buf, entry(i) + 2);
    }

    private int entry(int i) {
        if (i < 0 || i >= entryCount()) {
            throw new IndexOutOfBoundsException("NACK entry " + i + " of " + entryCount());
        }
        return off + FIXED_LENGTH + 4 * i;
    }

    /**
     * Expands every entry into the lost sequence numbers, in order, into {@code dst}; returns how
     * many were written (at most {@code dst.length}; a NACK lists up to 17 per entry).
     */
    public int lostSequenceNumbers(int[] dst) {
        int n = 0;
        for (int i = 0; i < entryCount(); i++) {
            int pid = pid(i);
            int blp = blp(i);
            if (n == dst.length) {
                return n;
            }
            dst[n++] = pid;
            for (int bit = 0; bit < 16; bit++) {
                if ((blp & (1 << bit)) != 0) {
                    if (n == dst.length) {
                        return n;
                    }
                    dst[n++] = (pid + bit + 1) & 0xFFFF;
                }
            }
        }
        return n;
    }
}
