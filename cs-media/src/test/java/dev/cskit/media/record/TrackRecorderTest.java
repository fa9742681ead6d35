/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.media.forward.CodecSpec;
import dev.cskit.media.record.TrackRecorder.Counter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real codec bitstreams (made by ffmpeg: a 440 Hz sine in Opus, testsrc in VP8 and H.264 with a keyframe every
 * 10 frames) packetized into RTP as WebRTC senders do, recorded, and read back with independent parsers.
 */
class TrackRecorderTest {

    static final CodecSpec OPUS = new CodecSpec(RtpFixtures.OPUS_PT, "opus", 48000, 2, "minptime=10;useinbandfec=1");
    static final CodecSpec VP8 = new CodecSpec(RtpFixtures.VP8_PT, "VP8", 90000, 0, "");
    static final CodecSpec H264 = new CodecSpec(RtpFixtures.H264_PT, "H264", 90000, 0, "packetization-mode=1");

    @TempDir
    Path dir;

    /** Records {@code packets} on a real single writer thread and waits for the file to be closed. */
    static TrackRecorder record(CodecSpec codec, Path dir, String base, List<byte[]> packets) throws Exception {
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            TrackRecorder r = TrackRecorder.newBuilder(codec, dir, base).executor(writer).queueCapacity(4096).build();
            for (byte[] p : packets) {
                assertTrue(r.offer(p, 0, p.length));
            }
            r.close();
            r.closed().get(10, TimeUnit.SECONDS);
            return r;
        } finally {
            writer.shutdown();
        }
    }

    @Test
    void opusPacketsLandInOggUnchangedWithGranulesFromRtpTimestamps() throws Exception {
        List<byte[]> source = RtpFixtures.opusPacketsOf(MediaFiles.resource("sine-1s.opus"));
        // Start near the 32-bit timestamp wrap and the 16-bit sequence wrap.
        TrackRecorder r = record(OPUS, dir, "cust-audio",
                RtpFixtures.opus(source, 65530, 0xFFFFFFFFL - 2000, 0xA1));
        Path file = dir.resolve("cust-audio.ogg");
        assertEquals(file, r.file().orElseThrow());
        MediaFiles.Ogg ogg = MediaFiles.readOgg(Files.readAllBytes(file));
        ogg.pages().forEach(p -> assertTrue(p.crcValid(), "page " + p.sequence()));
        List<byte[]> written = ogg.packets().subList(2, ogg.packets().size());
        assertEquals(source.size(), written.size());
        long granule = 0;
        for (int i = 0; i < source.size(); i++) {
            assertArrayEquals(source.get(i), written.get(i), "packet " + i);
            granule += OpusPackets.samples(source.get(i), 0, source.get(i).length);
            assertEquals(granule, ogg.packetGranules().get(i + 2), "granule after packet " + i);
        }
        assertEquals(source.size(), r.counter(Counter.WRITTEN));
        assertEquals(Files.size(file), r.bytesWritten());
        assertEquals(0x04, ogg.pages().get(ogg.pages().size() - 1).flags());
    }

    @Test
    void audioLossKeepsTimingAndANewSsrcContinuesTheFile() throws Exception {
        List<byte[]> source = RtpFixtures.opusPacketsOf(MediaFiles.resource("sine-1s.opus")).subList(0, 20);
        List<byte[]> first = RtpFixtures.opus(source.subList(0, 10), 100, 5000, 1);
        first.remove(4); // lost: the granule of packet 5 must still be 6 packets in
        List<byte[]> second = RtpFixtures.opus(source.subList(10, 20), 7, 123_456, 2); // the publisher reconnected
        List<byte[]> all = new ArrayList<>(first);
        all.add(first.get(2)); // a duplicate from the past: ignored
        all.addAll(second);
        TrackRecorder r = record(OPUS, dir, "a", all);
        MediaFiles.Ogg ogg = MediaFiles.readOgg(Files.readAllBytes(r.file().orElseThrow()));
        List<Long> g = ogg.packetGranules().subList(2, ogg.packetGranules().size());
        assertEquals(19, g.size());
        assertEquals(List.of(960L, 1920L, 2880L, 3840L, 5760L), g.subList(0, 5), "a lost packet leaves a gap");
        assertEquals(9600L, g.get(8), "end of the first source");
        assertEquals(9600L + 960, g.get(9), "the second source continues where the first stopped");
        assertEquals(1, r.counter(Counter.LOST));
        assertEquals(1, r.counter(Counter.LATE));
    }

    @Test
    void vp8FramesLandInIvfByteForByteWithTimestampsAndSize() throws Exception {
        List<byte[]> frames = RtpFixtures.ivfFramesOf(MediaFiles.resource("testsrc-2s.ivf"));
        assertEquals(20, frames.size());
        List<List<byte[]>> packets = RtpFixtures.vp8(frames, 300, 65000, 0xB2);
        assertTrue(packets.get(0).size() > 3, "the keyframe spans several packets");
        TrackRecorder r = record(VP8, dir, "agent-video", RtpFixtures.flat(packets));
        MediaFiles.Ivf ivf = MediaFiles.readIvf(Files.readAllBytes(dir.resolve("agent-video.ivf")));
        assertEquals("VP80", ivf.fourcc());
        assertEquals(160, ivf.width());
        assertEquals(120, ivf.height());
        assertEquals(90000, ivf.rate());
        assertEquals(1, ivf.scale());
        assertEquals(20, ivf.frameCount());
        assertEquals(20, ivf.frames().size());
        for (int i = 0; i < 20; i++) {
            assertArrayEquals(frames.get(i), ivf.frames().get(i).data(), "frame " + i);
            assertEquals(3000L * i, ivf.frames().get(i).pts());
        }
        assertEquals(2, r.counter(Counter.KEYFRAMES));
    }

    @Test
    void vp8LossSkipsToTheNextKeyframe() throws Exception {
        List<byte[]> frames = RtpFixtures.ivfFramesOf(MediaFiles.resource("testsrc-2s.ivf"));
        List<List<byte[]>> packets = RtpFixtures.vp8(frames, 300, 1, 0xB2);
        assertTrue(packets.get(3).size() >= 2);
        packets.get(3).remove(0); // frame 3 loses its first packet
        TrackRecorder r = record(VP8, dir, "v", RtpFixtures.flat(packets));
        MediaFiles.Ivf ivf = MediaFiles.readIvf(Files.readAllBytes(r.file().orElseThrow()));
        // Frames 0-2 before the loss, then the keyframe at 10 and what follows it.
        assertEquals(13, ivf.frames().size());
        assertArrayEquals(frames.get(10), ivf.frames().get(3).data());
        assertEquals(1, r.counter(Counter.FRAMES_DROPPED));
        assertEquals(6, r.counter(Counter.FRAMES_SKIPPED));
        assertEquals(13, ivf.frameCount());
    }

    @Test
    void h264AccessUnitsLandInAnnexBWithEveryNalUnit() throws Exception {
        byte[] stream = MediaFiles.resource("testsrc-2s.h264");
        List<List<byte[]>> aus = MediaFiles.accessUnits(stream);
        assertEquals(20, aus.size());
        List<List<byte[]>> packets = RtpFixtures.h264(aus, 500, 65500, 0xC3);
        TrackRecorder r = record(H264, dir, "agent-video", RtpFixtures.flat(packets));
        List<byte[]> written = MediaFiles.nalUnits(Files.readAllBytes(dir.resolve("agent-video.h264")));
        List<byte[]> expected = new ArrayList<>();
        aus.forEach(expected::addAll);
        assertEquals(expected.size(), written.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), written.get(i), "NAL unit " + i);
        }
        assertEquals(20, r.counter(Counter.WRITTEN));
        assertEquals(2, r.counter(Counter.KEYFRAMES));
    }

    @Test
    void fullQueueDropsAndCountsInsteadOfBlocking() {
        List<Runnable> tasks = new ArrayList<>();
        TrackRecorder r = TrackRecorder.newBuilder(OPUS, dir, "q").executor(tasks::add).queueCapacity(3).build();
        List<byte[]> p = RtpFixtures.opus(RtpFixtures.opusPacketsOf(MediaFiles.resource("sine-1s.opus")), 1, 0, 1);
        for (int i = 0; i < 5; i++) {
            boolean taken = r.offer(p.get(i), 0, p.get(i).length);
            assertEquals(i < 3, taken, "packet " + i);
        }
        assertEquals(2, r.counter(Counter.QUEUE_FULL));
        assertEquals(1, tasks.size(), "one drain scheduled, not one per packet");
        assertTrue(r.file().isEmpty(), "nothing touches the disk on the offering thread");
        tasks.remove(0).run();
        assertEquals(3, r.counter(Counter.WRITTEN));
        assertTrue(r.offer(p.get(5), 0, p.get(5).length), "the drained slots are reused");
        r.close();
        assertFalse(r.offer(p.get(6), 0, p.get(6).length));
        assertEquals(1, r.counter(Counter.AFTER_CLOSE));
        while (!tasks.isEmpty()) {
            tasks.remove(0).run();
        }
        assertTrue(r.closed().isDone());
        assertEquals(4, r.counter(Counter.WRITTEN));
    }

    @Test
    void otherPayloadTypesAreIgnoredAndEarlierFilesAreKept() throws Exception {
        List<byte[]> p = RtpFixtures.opus(RtpFixtures.opusPacketsOf(MediaFiles.resource("sine-1s.opus")), 1, 0, 1);
        Files.writeString(dir.resolve("x.ogg"), "an earlier recording");
        List<byte[]> mixed = new ArrayList<>(p.subList(0, 5));
        mixed.add(RtpFixtures.rtp(97, false, 900, 0, 1, new byte[] {1, 2, 3})); // e.g. RTX
        mixed.add(new byte[] {1, 2, 3}); // not RTP
        TrackRecorder r = record(OPUS, dir, "x", mixed);
        assertEquals(dir.resolve("x-2.ogg"), r.file().orElseThrow());
        assertEquals("an earlier recording", Files.readString(dir.resolve("x.ogg")));
        assertEquals(1, r.counter(Counter.OTHER_PAYLOAD_TYPE));
        assertEquals(1, r.counter(Counter.MALFORMED));
        assertEquals(5, r.counter(Counter.WRITTEN));
    }

    @Test
    void rejectsCodecsItCannotRecordAndPathLikeNames() {
        assertThrows(IllegalArgumentException.class, () -> TrackRecorder.newBuilder(
                new CodecSpec(98, "VP9", 90000, 0, ""), dir, "v").executor(Runnable::run).build());
        assertThrows(IllegalArgumentException.class, () -> TrackRecorder.newBuilder(OPUS, dir, "../x"));
        assertThrows(NullPointerException.class, () -> TrackRecorder.newBuilder(OPUS, dir, "x").build());
        assertEquals(TrackRecorder.Format.IVF_VP8, TrackRecorder.Format.forCodec("vp8").orElseThrow());
        assertEquals("video/h264", TrackRecorder.Format.forExtension("h264").orElseThrow().contentType());
    }
}
