/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.record;

/**
 * H.264 RTP depacketization (RFC 6184, packetization modes 0 and 1) into an Annex B access unit: every NAL unit
 * is written behind a 4-byte start code {@code 00 00 00 01} (ITU-T H.264 Annex B). Handles single NAL unit
 * packets (§5.6, types 1-23), STAP-A (§5.7.1, type 24) and FU-A (§5.8, type 28); STAP-B, MTAP and FU-B
 * (interleaved mode) make the frame malformed. An access unit containing an IDR slice (type 5) is a keyframe.
 *
 * <p>Not thread-safe; see {@link VideoDepacketizer}.
 */
public final class H264Depacketizer extends VideoDepacketizer {

    private static final byte[] START_CODE = {0, 0, 0, 1};
    private static final int STAP_A = 24;
    private static final int FU_A = 28;
    private static final int IDR = 5;

    private final byte[] nalHeader = new byte[1];
    private boolean keyframe;
    private boolean inFragment;

    @Override
    protected void beginFrame() {
        keyframe = false;
        inFragment = false;
    }

    @Override
    protected boolean appendPayload(byte[] buf, int off, int len, boolean first) {
        if (len < 1 || (buf[off] & 0x80) != 0) {
            return false; // empty, or forbidden_zero_bit set (RFC 6184 §5.3)
        }
        int type = buf[off] & 0x1F;
        if (type >= 1 && type <= 23) {
            return !inFragment && nal(buf, off, len);
        }
        if (type == STAP_A) {
            // §5.7.1: after the STAP-A header, repeated 16-bit NAL unit size + NAL unit.
            if (inFragment) {
                return false;
            }
            int at = off + 1;
            int end = off + len;
            if (at == end) {
                return false;
            }
            while (at < end) {
                if (end - at < 2) {
                    return false;
                }
                int size = (buf[at] & 0xFF) << 8 | (buf[at + 1] & 0xFF);
                at += 2;
                if (size == 0 || size > end - at || !nal(buf, at, size)) {
                    return false;
                }
                at += size;
            }
            return true;
        }
        if (type == FU_A) {
            // §5.8: FU indicator (F NRI 28), FU header (S E R type); the NAL header is F|NRI of the indicator
            // and the type of the FU header.
            if (len < 3) {
                return false;
            }
            int fu = buf[off + 1] & 0xFF;
            boolean s = (fu & 0x80) != 0;
            boolean e = (fu & 0x40) != 0;
            if (s == inFragment || (s && e)) {
                return false; // a start inside a fragment, a continuation without its start, or both S and E
            }
            if (s) {
                nalHeader[0] = (byte) ((buf[off] & 0xE0) | (fu & 0x1F));
                if ((fu & 0x1F) == IDR) {
                    keyframe = true;
                }
                if (!append(START_CODE, 0, 4) || !append(nalHeader, 0, 1)) {
                    return false;
                }
                inFragment = true;
            }
            if (!append(buf, off + 2, len - 2)) {
                return false;
            }
            if (e) {
                inFragment = false;
            }
            return true;
        }
        return false;
    }

    @Override
    protected boolean provesFrameStart(byte[] buf, int off, int len) {
        return false; // RTP H.264 has no start-of-access-unit flag: after a loss, wait for the next marker
    }

    private boolean nal(byte[] buf, int off, int len) {
        if ((buf[off] & 0x1F) == IDR) {
            keyframe = true;
        }
        return append(START_CODE, 0, 4) && append(buf, off, len);
    }

    @Override
    protected boolean frameComplete() {
        return !inFragment && length() > 0;
    }

    @Override
    protected boolean isKeyframe() {
        return keyframe;
    }
}
