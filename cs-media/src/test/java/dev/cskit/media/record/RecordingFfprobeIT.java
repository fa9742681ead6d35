/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recordings are read by an independent demuxer and decoder: ffprobe counts (and decodes) as many packets
 * and frames as ffmpeg's own encoder produced before they went through RTP and the recorder. Needs
 * {@code ffprobe} on the PATH (Debian: {@code apt-get install ffmpeg}); fails, not skips, without it.
 */
class RecordingFfprobeIT {

    @TempDir
    Path dir;

    @Test
    void ffprobeDecodesEveryOpusPacketOfTheOggRecording() throws Exception {
        List<byte[]> source = RtpFixtures.opusPacketsOf(MediaFiles.resource("sine-1s.opus"));
        TrackRecorder r = TrackRecorderTest.record(TrackRecorderTest.OPUS, dir, "a",
                RtpFixtures.opus(source, 4000, 77_000, 9));
        Map<String, String> s = ffprobe(r.file().orElseThrow());
        assertEquals("opus", s.get("codec_name"));
        assertEquals("2", s.get("channels"));
        assertEquals(String.valueOf(source.size()), s.get("nb_read_packets"));
        assertEquals(String.valueOf(source.size()), s.get("nb_read_frames"));
    }

    @Test
    void ffprobeDecodesEveryVp8FrameOfTheIvfRecording() throws Exception {
        List<byte[]> frames = RtpFixtures.ivfFramesOf(MediaFiles.resource("testsrc-2s.ivf"));
        TrackRecorder r = TrackRecorderTest.record(TrackRecorderTest.VP8, dir, "v",
                RtpFixtures.flat(RtpFixtures.vp8(frames, 300, 1, 9)));
        Map<String, String> s = ffprobe(r.file().orElseThrow());
        assertEquals("vp8", s.get("codec_name"));
        assertEquals("160", s.get("width"));
        assertEquals("120", s.get("height"));
        assertEquals("20", s.get("nb_read_packets"));
        assertEquals("20", s.get("nb_read_frames"));
    }

    @Test
    void ffprobeDecodesEveryH264AccessUnitOfTheAnnexBRecording() throws Exception {
        List<List<byte[]>> aus = MediaFiles.accessUnits(MediaFiles.resource("testsrc-2s.h264"));
        TrackRecorder r = TrackRecorderTest.record(TrackRecorderTest.H264, dir, "h",
                RtpFixtures.flat(RtpFixtures.h264(aus, 500, 1, 9)));
        Map<String, String> s = ffprobe(r.file().orElseThrow());
        assertEquals("h264", s.get("codec_name"));
        assertEquals("160", s.get("width"));
        assertEquals("20", s.get("nb_read_frames"));
    }

    @Test
    void ffprobeDecodesAVp8RecordingWithLossFromItsFirstFrameOn() throws Exception {
        List<byte[]> frames = RtpFixtures.ivfFramesOf(MediaFiles.resource("testsrc-2s.ivf"));
        List<List<byte[]>> packets = RtpFixtures.vp8(frames, 300, 1, 9);
        packets.get(0).remove(1); // the first keyframe is damaged: the recording must start at the second
        TrackRecorder r = TrackRecorderTest.record(TrackRecorderTest.VP8, dir, "v", RtpFixtures.flat(packets));
        Map<String, String> s = ffprobe(r.file().orElseThrow());
        assertEquals("10", s.get("nb_read_packets"));
        assertEquals("10", s.get("nb_read_frames"), "every written frame decodes");
    }

    /** Runs ffprobe counting packets and decoded frames of the first stream; fails on any decoder error. */
    private static Map<String, String> ffprobe(Path file) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("ffprobe", "-v", "error", "-count_packets", "-count_frames",
                    "-show_entries", "stream=codec_name,channels,width,height,nb_read_packets,nb_read_frames",
                    "-of", "default=noprint_wrappers=1", file.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("ffprobe is needed for this test: apt-get install ffmpeg", e);
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "ffprobe timed out");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        Map<String, String> m = new HashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.putIfAbsent(line.substring(0, eq), line.substring(eq + 1).trim());
            } else if (!line.isBlank()) {
                throw new AssertionError("ffprobe reported: " + out); // -v error prints only errors
            }
        }
        System.out.println("ffprobe " + file.getFileName() + ": " + m);
        return m;
    }
}
