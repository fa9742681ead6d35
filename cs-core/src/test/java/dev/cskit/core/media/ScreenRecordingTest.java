/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.media.forward.CodecSpec;
import dev.cskit.media.forward.MediaKind;
import dev.cskit.media.forward.TrackSpec;
import dev.cskit.media.rtp.RtpPacket;
import dev.cskit.media.whip.StreamKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A screen share is recorded as a file of its own, named so, beside the camera's; a new share is a new file. */
class ScreenRecordingTest {

    private static final CodecSpec VP8 = new CodecSpec(96, "VP8", 90000, 0, "");
    private static final TrackSpec VIDEO = new TrackSpec("1", MediaKind.VIDEO, List.of(VP8), Map.of(), true, 2);
    // RFC 7741 descriptor (S=1) + a VP8 keyframe header for 160x120.
    private static final byte[] VP8_KEY = HexFormat.of().parseHex("10" + "5003009d012aa00078000011223344");

    @TempDir
    Path dir;

    private final ExecutorService writer = Executors.newSingleThreadExecutor();

    @AfterEach
    void shutdown() {
        writer.shutdownNow();
    }

    private static void tap(CallRecorder r, StreamKey key, int seq) {
        byte[] b = new byte[12 + VP8_KEY.length];
        RtpPacket.writeHeader(b, 0, 96, true, seq, 3000L * seq, 0x1234);
        System.arraycopy(VP8_KEY, 0, b, 12, VP8_KEY.length);
        r.onRtp(key, VIDEO, VP8, b, 0, b.length);
    }

    @Test
    void theScreenGoesToItsOwnFileWhichSaysScreen() throws Exception {
        CallRecorder rec = new CallRecorder(dir, writer);
        StreamKey camera = new StreamKey("cs_1", "cust_1");
        StreamKey screen = camera.withSource(StreamKey.Source.SCREEN);
        for (int i = 0; i < 5; i++) {
            tap(rec, camera, i);
            tap(rec, screen, i);
        }
        assertEquals(2, rec.active().size());
        rec.endStream(screen).get(10, TimeUnit.SECONDS); // stop sharing: the camera goes on
        assertEquals(1, rec.active().size());
        tap(rec, screen, 100); // shared again: a new file
        rec.endSession("cs_1").get(10, TimeUnit.SECONDS);

        assertTrue(Files.isRegularFile(dir.resolve("cs_1/cust_1.screen-video.ivf")));
        List<Recordings.Entry> listed = new Recordings(dir).list("cs_1");
        assertEquals(List.of("cust_1-video.ivf", "cust_1.screen-video-2.ivf", "cust_1.screen-video.ivf"),
                listed.stream().map(Recordings.Entry::name).toList());
        for (Recordings.Entry e : listed) {
            assertEquals("cust_1", e.userId(), e.name());
            assertEquals("video", e.kind(), e.name());
            assertEquals(e.name().contains(".screen") ? "screen" : "camera", e.source(), e.name());
        }
        assertEquals(32 + 5 * (12 + VP8_KEY.length - 1), Files.size(dir.resolve("cs_1/cust_1.screen-video.ivf")));
    }

    @Test
    void screenNamesAreRecordingNamesAndUserIdsWithDashesStayWhole() throws Exception {
        assertTrue(Recordings.isValidName("agent-1.screen-video.ivf"));
        assertTrue(Recordings.isValidName("agent-1.screen-audio-3.ogg"));
        CallRecorder rec = new CallRecorder(dir, writer);
        tap(rec, new StreamKey("cs_2", "agent-screen"), 1); // a camera whose owner's id ends in -screen
        tap(rec, new StreamKey("cs_2", "agent", StreamKey.Source.SCREEN), 1);
        rec.endSession("cs_2").get(10, TimeUnit.SECONDS);
        List<Recordings.Entry> listed = new Recordings(dir).list("cs_2");
        assertEquals(List.of("agent-screen/camera", "agent/screen"),
                listed.stream().map(e -> e.userId() + "/" + e.source()).sorted().toList());
    }
}
