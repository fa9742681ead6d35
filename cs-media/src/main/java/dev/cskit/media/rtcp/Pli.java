/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.rtcp;

/** A view of a Picture Loss Indication (RFC 4585 §6.3.1: PSFB, FMT 1, no FCI). Not thread-safe. */
public final class Pli extends FeedbackPacket {
    /** The PLI feedback message type. */
    public static final int FMT = 1;

    /** Wraps exactly one PLI packet; false if it is not one. */
    public boolean wrap(byte[] buf, int off, int len) {
        return wrapFeedback(buf, off, len, RtcpCompound.PSFB, FMT);
    }
}
