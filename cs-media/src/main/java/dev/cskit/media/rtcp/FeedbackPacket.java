/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.rtcp;

/**
 * Common layout of RTCP feedback messages (RFC 4585 §6.1): header with FMT, sender SSRC, media
 * source SSRC, then the feedback control information (FCI). Allocation-free; not thread-safe.
 */
public abstract class FeedbackPacket {
    /** Header and both SSRCs. */
    public static final int FIXED_LENGTH = 12;

    byte[] buf = new byte[0];
    int off;
    int fciLength;
    boolean valid;

    FeedbackPacket() {
    }

    boolean wrapFeedback(byte[] buf, int off, int len, int type, int fmt) {
        valid = false;
        int n = Bytes.packetLength(buf, off, len);
        if (n < FIXED_LENGTH || n != len || (buf[off + 1] & 0xFF) != type || (buf[off] & 0x1F) != fmt) {
            return false;
        }
        int pad = Bytes.padding(buf, off, n, FIXED_LENGTH);
        if (pad < 0) {
            return false;
        }
        this.buf = buf;
        this.off = off;
        this.fciLength = n - pad - FIXED_LENGTH;
        this.valid = true;
        return true;
    }

    /** Whether the last wrap succeeded. */
    public boolean isValid() {
        return valid;
    }

    /** SSRC of the packet sender. */
    public long senderSsrc() {
        return Bytes.u32(buf, off + 4);
    }

    /** SSRC of the media source the feedback is about. */
    public long mediaSsrc() {
        return Bytes.u32(buf, off + 8);
    }

    /** Rewrites the sender SSRC in place. */
    public void setSenderSsrc(long ssrc) {
        Bytes.put32(buf, off + 4, ssrc);
    }

    /** Rewrites the media source SSRC in place (e.g. to the publisher's SSRC in an SFU). */
    public void setMediaSsrc(long ssrc) {
        Bytes.put32(buf, off + 8, ssrc);
    }

    /** Length of the FCI in bytes. */
    public int fciLength() {
        return fciLength;
    }
}
