/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.record;

/**
 * VP8 RTP depacketization (RFC 7741): strips each packet's payload descriptor and concatenates the payloads of
 * one frame. A frame must begin with a packet whose S bit is set and partition index is 0 (§4.2); its first
 * payload byte tells keyframes apart (§4.3: the inverse key frame flag P is 0 in a keyframe), and a keyframe
 * header carries the picture size (RFC 6386 §9.1).
 *
 * <p>Not thread-safe; see {@link VideoDepacketizer}.
 */
public final class Vp8Depacketizer extends VideoDepacketizer {

    private boolean keyframe;
    private int width;
    private int height;

    @Override
    protected void beginFrame() {
        keyframe = false;
    }

    @Override
    protected boolean appendPayload(byte[] buf, int off, int len, boolean first) {
        int d = descriptorLength(buf, off, len);
        if (d < 0 || d >= len) {
            return false;
        }
        int b0 = buf[off] & 0xFF;
        boolean start = (b0 & 0x10) != 0 && (b0 & 0x07) == 0;
        if (first != start) {
            return false; // the frame's first packet is missing, or a second frame start in one timestamp
        }
        int at = off + d;
        int n = len - d;
        if (start) {
            // RFC 7741 §4.3 / RFC 6386 §9.1: 3-byte frame tag; P (bit 0) == 0 marks a keyframe, which is followed
            // by the start code 9d 01 2a and 14-bit width and height.
            keyframe = (buf[at] & 0x01) == 0;
            if (keyframe && n >= 10 && (buf[at + 3] & 0xFF) == 0x9d && (buf[at + 4] & 0xFF) == 0x01
                    && (buf[at + 5] & 0xFF) == 0x2a) {
                width = ((buf[at + 6] & 0xFF) | (buf[at + 7] & 0xFF) << 8) & 0x3FFF;
                height = ((buf[at + 8] & 0xFF) | (buf[at + 9] & 0xFF) << 8) & 0x3FFF;
            } else if (keyframe) {
                return false; // a keyframe without its start code is not VP8
            }
        }
        return append(buf, at, n);
    }

    @Override
    protected boolean provesFrameStart(byte[] buf, int off, int len) {
        return len > 0 && (buf[off] & 0x10) != 0 && (buf[off] & 0x07) == 0;
    }

    /**
     * RFC 7741 §4.2: the payload descriptor's length, or -1 if truncated. First byte {@code X R N S R PID};
     * if X, a byte {@code I L T K RSV}; if I, a 7- or 15-bit PictureID (M bit); if L, TL0PICIDX; if T or K,
     * {@code TID Y KEYIDX}.
     */
    static int descriptorLength(byte[] buf, int off, int len) {
        if (len < 1) {
            return -1;
        }
        int n = 1;
        if ((buf[off] & 0x80) != 0) {
            if (len < 2) {
                return -1;
            }
            int x = buf[off + 1] & 0xFF;
            n = 2;
            if ((x & 0x80) != 0) {
                if (len < n + 1) {
                    return -1;
                }
                n += (buf[off + n] & 0x80) != 0 ? 2 : 1;
            }
            if ((x & 0x40) != 0) {
                n++;
            }
            if ((x & 0x30) != 0) {
                n++;
            }
        }
        return n <= len ? n : -1;
    }

    @Override
    protected boolean frameComplete() {
        return length() > 0;
    }

    @Override
    protected boolean isKeyframe() {
        return keyframe;
    }

    /** The picture width from the last keyframe header, 0 before one. */
    public int width() {
        return width;
    }

    /** The picture height from the last keyframe header, 0 before one. */
    public int height() {
        return height;
    }
}
