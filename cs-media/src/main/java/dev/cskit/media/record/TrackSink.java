/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.record;

import dev.cskit.media.record.TrackRecorder.Counter;
import dev.cskit.media.record.TrackRecorder.Format;
import dev.cskit.media.rtp.RtpPacket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Writes one track's RTP packets into its container: Ogg Opus, IVF (VP8) or an Annex B stream (H.264), with
 * timing taken from the RTP timestamps and losses counted. The file format part of {@link TrackRecorder}.
 *
 * <p>Not thread-safe: the recorder's writer task owns it.
 */
abstract class TrackSink {

    /** Where a sink counts what it wrote, lost or dropped. */
    @FunctionalInterface
    interface Counts {
        void add(Counter counter, long n);
    }

    final Counts counts;

    TrackSink(Counts counts) {
        this.counts = counts;
    }

    /** A sink for {@code format} writing into {@code ch}; {@code channels} is Opus's channel count. */
    static TrackSink open(Format format, FileChannel ch, int channels, Counts counts) throws IOException {
        return switch (format) {
            case OGG_OPUS -> new OpusSink(ch, channels, counts);
            case IVF_VP8 -> new Vp8Sink(ch, counts);
            case H264_ANNEX_B -> new H264Sink(ch, counts);
        };
    }

    abstract void write(RtpPacket p) throws IOException;

    abstract void close() throws IOException;


    /** Opus: the granule position follows the RTP timestamp (48 kHz, RFC 7587 §4.1), extended past wraps. */
    static final class OpusSink extends TrackSink {
        private final OggOpusWriter ogg;
        private long ssrc = -1;
        private int lastSeq;
        private long lastTs;
        private long position; // start of the last packet, in samples since the recording began
        private long end;      // granule position after the last packet written

        OpusSink(FileChannel ch, int channels, Counts counts) throws IOException {
            super(counts);
            // Pre-skip 0: the stream is joined mid-flight and the publisher's encoder delay is unknown.
            ogg = new OggOpusWriter(ch, channels, 0, java.util.concurrent.ThreadLocalRandom.current().nextInt());
        }

        @Override
        void write(RtpPacket p) throws IOException {
            if (p.ssrc() != ssrc) {
                ssrc = p.ssrc();
                position = end; // a new source continues where the previous one stopped
            } else {
                int seqDelta = (p.sequenceNumber() - lastSeq) & 0xFFFF;
                int tsDelta = (int) (p.timestamp() - lastTs);
                if (seqDelta == 0 || seqDelta >= 0x8000 || tsDelta < 0) {
                    counts.add(Counter.LATE, 1);
                    return;
                }
                if (seqDelta > 1) {
                    counts.add(Counter.LOST, seqDelta - 1);
                }
                position += tsDelta;
            }
            lastSeq = p.sequenceNumber();
            lastTs = p.timestamp();
            int samples = OpusPackets.samples(p.buffer(), p.payloadOffset(), p.payloadLength());
            long granule = position + samples;
            if (samples < 0 || !ogg.writePacket(p.buffer(), p.payloadOffset(), p.payloadLength(), Math.max(granule, end))) {
                counts.add(Counter.MALFORMED, 1);
                return;
            }
            end = Math.max(granule, end);
            counts.add(Counter.WRITTEN, 1);
        }

        @Override
        void close() throws IOException {
            ogg.close();
        }
    }

    /** Video: frames from a depacketizer; presentation times follow the RTP timestamps (90 kHz). */
    abstract static class VideoSink extends TrackSink {
        private final VideoDepacketizer depacketizer;
        private long ssrc = -1;
        private boolean firstFrame = true;
        private long lastFrameTs;
        private long lastPts = -3000;
        private long lost;
        private long late;
        private long dropped;
        private long skipped;

        VideoSink(VideoDepacketizer depacketizer, Counts counts) {
            super(counts);
            this.depacketizer = depacketizer;
        }

        @Override
        final void write(RtpPacket p) throws IOException {
            if (p.ssrc() != ssrc) {
                ssrc = p.ssrc();
                depacketizer.reset();
                firstFrame = true;
            }
            int r = depacketizer.push(p);
            sync();
            if (r != VideoDepacketizer.FRAME) {
                return;
            }
            long ts = depacketizer.frameTimestamp();
            long pts;
            if (firstFrame) {
                pts = lastPts + 3000; // the first frame of a source follows the last one written, 1/30 s later
                firstFrame = false;
            } else {
                pts = lastPts + Math.max(1, (int) (ts - lastFrameTs));
            }
            lastFrameTs = ts;
            lastPts = pts;
            writeFrame(depacketizer.frame(), depacketizer.frameLength(), pts);
            counts.add(Counter.WRITTEN, 1);
            if (depacketizer.frameIsKeyframe()) {
                counts.add(Counter.KEYFRAMES, 1);
            }
        }

        private void sync() {
            lost = add(Counter.LOST, depacketizer.packetsLost(), lost);
            late = add(Counter.LATE, depacketizer.packetsLate(), late);
            dropped = add(Counter.FRAMES_DROPPED, depacketizer.framesDropped(), dropped);
            skipped = add(Counter.FRAMES_SKIPPED, depacketizer.framesSkipped(), skipped);
        }

        private long add(Counter c, long now, long before) {
            if (now != before) {
                counts.add(c, now - before);
            }
            return now;
        }

        abstract void writeFrame(byte[] frame, int len, long pts) throws IOException;
    }

    static final class Vp8Sink extends VideoSink {
        private final Vp8Depacketizer vp8;
        private final IvfWriter ivf;

        Vp8Sink(FileChannel ch, Counts counts) throws IOException {
            this(new Vp8Depacketizer(), ch, counts);
        }

        private Vp8Sink(Vp8Depacketizer vp8, FileChannel ch, Counts counts) throws IOException {
            super(vp8, counts);
            this.vp8 = vp8;
            this.ivf = new IvfWriter(ch, "VP80", 90_000);
        }

        @Override
        void writeFrame(byte[] frame, int len, long pts) throws IOException {
            ivf.setSize(vp8.width(), vp8.height());
            ivf.writeFrame(frame, 0, len, pts);
        }

        @Override
        void close() throws IOException {
            ivf.close();
        }
    }

    static final class H264Sink extends VideoSink {
        private final FileChannel ch;

        H264Sink(FileChannel ch, Counts counts) {
            super(new H264Depacketizer(), counts);
            this.ch = ch;
        }

        @Override
        void writeFrame(byte[] frame, int len, long pts) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(frame, 0, len);
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }

        @Override
        void close() {
            // Annex B has no trailer.
        }
    }
}
