/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.media.forward.CodecSpec;
import dev.cskit.media.forward.MediaKind;
import dev.cskit.media.forward.TrackSpec;
import dev.cskit.media.record.TrackRecorder;
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

class CallRecorderTest {

    private static final CodecSpec OPUS = new CodecSpec(111, "opus", 48000, 2, "");
    private static final CodecSpec VP8 = new CodecSpec(96, "VP8", 90000, 0, "");
    private static final CodecSpec RTX = new CodecSpec(97, "rtx", 90000, 0, "apt=96");
    private static final TrackSpec AUDIO = new TrackSpec("0", MediaKind.AUDIO, List.of(OPUS), Map.of(), false, 1);
    private static final TrackSpec VIDEO = new TrackSpec("1", MediaKind.VIDEO, List.of(VP8, RTX), Map.of(), true, 2);
    // RFC 7741 descriptor (S=1) + a VP8 keyframe header for 160x120.
    private static final byte[] VP8_KEY = HexFormat.of().parseHex("10" + "5003009d012aa00078000011223344");
    private static final byte[] OPUS_20MS = HexFormat.of().parseHex("fc0102030405060708");

    @TempDir
    Path dir;

    private final ExecutorService writer = Executors.newSingleThreadExecutor();

    @AfterEach
    void shutdown() {
        writer.shutdownNow();
    }

    private static byte[] rtp(int pt, int seq, long ts, byte[] payload) {
        byte[] b = new byte[12 + payload.length];
        RtpPacket.writeHeader(b, 0, pt, true, seq, ts, 0x1234);
        System.arraycopy(payload, 0, b, 12, payload.length);
        return b;
    }

    /** {@code customer-service/{session}/{user}} as the engine's key. */
    private static StreamKey key(String path) {
        String[] p = path.split("/");
        return new StreamKey(p[1], p[2]);
    }

    private static void tap(CallRecorder r, String path, TrackSpec t, CodecSpec c, byte[] packet) {
        // The engine hands over a buffer it reuses: pass a slice of a bigger array and scribble on it afterwards.
        byte[] buf = new byte[packet.length + 20];
        System.arraycopy(packet, 0, buf, 10, packet.length);
        r.onRtp(key(path), t, c, buf, 10, packet.length);
        java.util.Arrays.fill(buf, (byte) 0xEE);
    }

    @Test
    void recordsEachPartysTracksUntilTheCallEnds() throws Exception {
        CallRecorder rec = new CallRecorder(dir, writer);
        String cust = "customer-service/cs_1/cust_1";
        String agent = "customer-service/cs_1/agent_001";
        tap(rec, agent, VIDEO, RTX, rtp(97, 1, 0, new byte[] {0, 1, 2})); // RTX first: no recorder for it
        assertTrue(rec.active().isEmpty());
        for (int i = 0; i < 10; i++) {
            tap(rec, cust, AUDIO, OPUS, rtp(111, i, 960L * i, OPUS_20MS));
            tap(rec, agent, VIDEO, VP8, rtp(96, 100 + i, 3000L * i, VP8_KEY));
        }
        tap(rec, agent, VIDEO, RTX, rtp(97, 2, 0, new byte[] {0, 1, 2}));
        assertEquals(2, rec.active().size());
        TrackRecorder video = rec.active().stream().filter(t -> t.format() == TrackRecorder.Format.IVF_VP8)
                .findFirst().orElseThrow();
        assertEquals(10, video.counter(TrackRecorder.Counter.OFFERED), "RTX packets are not queued");

        rec.endSession("cs_1").get(10, TimeUnit.SECONDS);
        Path ogg = dir.resolve("cs_1/cust_1-audio.ogg");
        Path ivf = dir.resolve("cs_1/agent_001-video.ivf");
        assertTrue(Files.isRegularFile(ogg));
        assertTrue(Files.isRegularFile(ivf));
        assertEquals(10, video.counter(TrackRecorder.Counter.WRITTEN));
        assertEquals(32 + 10 * (12 + VP8_KEY.length - 1), Files.size(ivf));
        long oggSize = Files.size(ogg);
        assertEquals("OggS", new String(Files.readAllBytes(ogg), 0, 4, java.nio.charset.StandardCharsets.US_ASCII));

        // After the end, nothing more is recorded for that call.
        tap(rec, cust, AUDIO, OPUS, rtp(111, 10, 9600, OPUS_20MS));
        assertTrue(rec.active().isEmpty());
        assertEquals(oggSize, Files.size(ogg));
        assertEquals(List.of("agent_001-video.ivf", "cust_1-audio.ogg"),
                new Recordings(dir).list("cs_1").stream().map(Recordings.Entry::name).toList());
    }

    @Test
    void aTransferredAgentsFilesCloseWhileTheCallGoesOn() throws Exception {
        CallRecorder rec = new CallRecorder(dir, writer);
        tap(rec, "customer-service/cs_2/agent_001", AUDIO, OPUS, rtp(111, 1, 0, OPUS_20MS));
        tap(rec, "customer-service/cs_2/cust_2", AUDIO, OPUS, rtp(111, 1, 0, OPUS_20MS));
        rec.endStream(key("customer-service/cs_2/agent_001")).get(10, TimeUnit.SECONDS);
        assertEquals(1, rec.active().size());
        assertTrue(Files.isRegularFile(dir.resolve("cs_2/agent_001-audio.ogg")));
        rec.closeAll().get(10, TimeUnit.SECONDS);
        assertTrue(rec.active().isEmpty());
    }

    @Test
    void namesAreMadeSafe() throws Exception {
        CallRecorder rec = new CallRecorder(dir, writer);
        tap(rec, "customer-service/cs_3/agent ..x", AUDIO, OPUS, rtp(111, 1, 0, OPUS_20MS));
        rec.endSession("cs_3").get(10, TimeUnit.SECONDS);
        assertTrue(Files.isRegularFile(dir.resolve("cs_3/agent___x-audio.ogg")));
        assertFalse(Recordings.isValidName("../x-audio.ogg"));
        assertFalse(Recordings.isValidName("a/b-audio.ogg"));
        assertTrue(Recordings.isValidName("agent___x-audio.ogg"));
    }
}
