/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.record;

import dev.cskit.media.rtp.RtpPacket;

/**
 * Assembles video frames from the RTP packets of one stream: packets of a frame share a timestamp, the last one
 * carries the marker bit (RFC 3550 §5.1, RFC 7741 §4.1, RFC 6184 §5.1). A frame is delivered only if every
 * packet of it arrived in sequence and the codec found it well-formed; after any loss nothing is delivered
 * until the next complete keyframe, so a decoder never sees a frame whose references are missing. The same
 * holds at the start: the first delivered frame is a keyframe.
 *
 * <p>Packets older than the newest one seen (duplicates, late reordering) are ignored: there is no jitter
 * buffer, so a reordered packet costs the frames up to the next keyframe.
 *
 * <p>Not thread-safe: one writer thread. {@link #push} returns a result code and never throws.
 */
public abstract sealed class VideoDepacketizer permits Vp8Depacketizer, H264Depacketizer {

    /** {@link #push}: the packet was taken, no frame is complete yet. */
    public static final int NEED_MORE = 0;
    /** {@link #push}: a frame is complete: {@link #frame()}, {@link #frameLength()}, {@link #frameTimestamp()}. */
    public static final int FRAME = 1;
    /** {@link #push}: a frame ended incomplete or malformed and was dropped. */
    public static final int DROPPED = -1;
    /** {@link #push}: a complete frame was skipped while waiting for a keyframe. */
    public static final int SKIPPED = -2;
    /** {@link #push}: the packet was a duplicate or arrived late, and was ignored. */
    public static final int LATE = -3;

    /** Frames larger than this are dropped. */
    public static final int MAX_FRAME = 4 << 20;

    private byte[] frame = new byte[64 * 1024];
    private int length;
    private long timestamp;
    private boolean inFrame;
    private boolean broken;
    private boolean discarding;
    private boolean needKeyframe = true;
    private int expectedSeq = -1;
    private boolean lastFrameKeyframe;

    private long framesCompleted;
    private long framesDropped;
    private long framesSkipped;
    private long packetsLost;
    private long packetsLate;

    /** Feeds one plain RTP packet of this stream; see the result codes. */
    public final int push(RtpPacket p) {
        int seq = p.sequenceNumber();
        boolean gap = false;
        if (expectedSeq >= 0) {
            int delta = (seq - expectedSeq) & 0xFFFF;
            if (delta >= 0x8000) {
                packetsLate++;
                return LATE;
            }
            if (delta > 0) {
                packetsLost += delta;
                gap = true;
            }
        }
        expectedSeq = (seq + 1) & 0xFFFF;
        int result = NEED_MORE;
        if (inFrame && (gap || p.timestamp() != timestamp)) {
            // The rest of the frame in progress (at least its marker packet) is lost.
            result = drop();
            discarding = p.timestamp() == timestamp;
        }
        if (gap) {
            needKeyframe = true;
        }
        if (discarding) {
            // The remaining packets of a frame already dropped: swallow them up to its marker.
            if (p.timestamp() == timestamp) {
                discarding = !p.marker();
                return result;
            }
            discarding = false;
        }
        if (!inFrame) {
            inFrame = true;
            broken = false;
            length = 0;
            timestamp = p.timestamp();
            beginFrame();
            // Packets lost just before may have been this frame's beginning; only the codec can rule that out.
            broken = gap && !provesFrameStart(p.buffer(), p.payloadOffset(), p.payloadLength());
        }
        if (!broken && !appendPayload(p.buffer(), p.payloadOffset(), p.payloadLength(), length == 0)) {
            broken = true;
        }
        if (!p.marker()) {
            return result;
        }
        inFrame = false;
        if (broken || !frameComplete()) {
            return drop();
        }
        boolean key = isKeyframe();
        if (needKeyframe && !key) {
            framesSkipped++;
            return SKIPPED;
        }
        needKeyframe = false;
        lastFrameKeyframe = key;
        framesCompleted++;
        return FRAME;
    }

    /** Forgets the stream position (a new SSRC): the next frame delivered will be a keyframe. */
    public void reset() {
        inFrame = false;
        discarding = false;
        expectedSeq = -1;
        needKeyframe = true;
    }

    private int drop() {
        inFrame = false;
        needKeyframe = true;
        framesDropped++;
        return DROPPED;
    }

    /** The bytes of the frame last delivered (valid until the next {@link #push}). */
    public final byte[] frame() {
        return frame;
    }

    public final int frameLength() {
        return length;
    }

    /** The RTP timestamp of the frame last delivered. */
    public final long frameTimestamp() {
        return timestamp;
    }

    /** Whether the frame last delivered is a keyframe. */
    public final boolean frameIsKeyframe() {
        return lastFrameKeyframe;
    }

    public final long framesCompleted() {
        return framesCompleted;
    }

    /** Frames dropped because a packet of them was lost or malformed. */
    public final long framesDropped() {
        return framesDropped;
    }

    /** Complete frames skipped while waiting for a keyframe. */
    public final long framesSkipped() {
        return framesSkipped;
    }

    /** Sequence numbers never seen. */
    public final long packetsLost() {
        return packetsLost;
    }

    public final long packetsLate() {
        return packetsLate;
    }

    /** Appends {@code len} bytes to the frame; false if the frame would exceed {@link #MAX_FRAME}. */
    protected final boolean append(byte[] src, int off, int len) {
        if (length + len > MAX_FRAME) {
            return false;
        }
        if (length + len > frame.length) {
            byte[] bigger = new byte[Math.min(MAX_FRAME, Math.max(frame.length * 2, length + len))];
            System.arraycopy(frame, 0, bigger, 0, length);
            frame = bigger;
        }
        System.arraycopy(src, off, frame, length, len);
        length += len;
        return true;
    }

    /** The frame bytes collected so far, for codec inspection. */
    protected final int length() {
        return length;
    }

    /** A new frame begins: reset per-frame codec state. */
    protected abstract void beginFrame();

    /**
     * Adds one packet's payload to the frame.
     *
     * @param first whether this is the first packet of the frame as received
     * @return false if the payload is malformed or does not fit where it arrived (the frame is dropped)
     */
    protected abstract boolean appendPayload(byte[] buf, int off, int len, boolean first);

    /** Whether this payload certainly begins a frame (so packets lost before it belonged to earlier frames). */
    protected abstract boolean provesFrameStart(byte[] buf, int off, int len);

    /** Whether the frame is whole after its marker packet (e.g. no fragment left open). */
    protected abstract boolean frameComplete();

    /** Whether the completed frame decodes on its own. */
    protected abstract boolean isKeyframe();
}
