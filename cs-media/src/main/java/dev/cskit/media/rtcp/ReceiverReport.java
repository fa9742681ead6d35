/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.rtcp;

/** A flyweight view of one RR packet (RFC 3550 §6.4.2). Allocation-free; not thread-safe. */
public final class ReceiverReport extends ReportBlocks {
    /** Header and SSRC: 8 bytes. */
    public static final int FIXED_LENGTH = 8;

    /** Wraps exactly one RR packet of {@code len} bytes; false if it is not one. */
    public boolean wrap(byte[] buf, int off, int len) {
        return wrapReport(buf, off, len, RtcpCompound.RR, FIXED_LENGTH);
    }
}
