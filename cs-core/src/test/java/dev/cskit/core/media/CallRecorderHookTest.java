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
import dev.cskit.media.rtp.RtpPacket;
import dev.cskit.media.whip.StreamKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hooks others take from the recorder: a call's recordings are all closed ({@code recording.ready}); a track's
 * recorder started (the session's {@code recorded} and the "Recording" indicator); which sessions it may record (an
 * admin turned one off).
 */
class CallRecorderHookTest {

    private static final CodecSpec OPUS = new CodecSpec(111, "opus", 48000, 2, "");
    private static final TrackSpec AUDIO = new TrackSpec("0", MediaKind.AUDIO, List.of(OPUS), Map.of(), false, 1);
    private static final byte[] OPUS_20MS = HexFormat.of().parseHex("fc0102030405060708");

    @TempDir
    Path dir;

    private final ExecutorService writer = Executors.newSingleThreadExecutor();

    @AfterEach
    void shutdown() {
        writer.shutdownNow();
    }

    private static byte[] opus(int seq) {
        byte[] b = new byte[12 + OPUS_20MS.length];
        RtpPacket.writeHeader(b, 0, 111, true, seq, 960L * seq, 0x1234);
        System.arraycopy(OPUS_20MS, 0, b, 12, OPUS_20MS.length);
        return b;
    }

    @Test
    void toldWhenATracksRecorderStartsBeforeItsFirstPacketIsQueuedNotPerPacket() throws Exception {
        CallRecorder rec = new CallRecorder(dir, writer);
        List<String> started = new CopyOnWriteArrayList<>();
        List<Integer> recordersWhenTold = new CopyOnWriteArrayList<>();
        rec.onRecordingStarted(id -> {
            started.add(id);
            recordersWhenTold.add(rec.active().size());
        });
        for (int i = 0; i < 5; i++) {
            byte[] b = opus(i);
            rec.onRtp(new StreamKey("cs_1", "cust_1"), AUDIO, OPUS, b, 0, b.length);
        }
        assertEquals(List.of("cs_1"), started);
        assertEquals(List.of(1), recordersWhenTold); // the recorder exists: the packet goes into it right after
        byte[] b = opus(0);
        rec.onRtp(new StreamKey("cs_1", "agent_001"), AUDIO, OPUS, b, 0, b.length);
        assertEquals(List.of("cs_1", "cs_1"), started); // the other party's track
        rec.endSession("cs_1").get(10, TimeUnit.SECONDS);
        rec.onRtp(new StreamKey("cs_1", "cust_1"), AUDIO, OPUS, b, 0, b.length);
        assertEquals(2, started.size(), "a call ended records nothing more, so nothing starts");
    }

    @Test
    void aSessionTheFilterRefusesIsNeverRecordedNorAnnounced() throws Exception {
        CallRecorder rec = new CallRecorder(dir, writer);
        List<String> asked = new CopyOnWriteArrayList<>();
        List<String> started = new CopyOnWriteArrayList<>();
        rec.recordOnly(id -> {
            asked.add(id);
            return !id.equals("cs_off");
        });
        rec.onRecordingStarted(started::add);
        for (int i = 0; i < 3; i++) {
            byte[] b = opus(i);
            rec.onRtp(new StreamKey("cs_off", "cust_1"), AUDIO, OPUS, b, 0, b.length);
            rec.onRtp(new StreamKey("cs_on", "cust_2"), AUDIO, OPUS, b, 0, b.length);
        }
        assertEquals(List.of("cs_on"), started);
        assertEquals(List.of("cs_off", "cs_on"), asked, "asked once per stream, not per packet");
        assertEquals(1, rec.active().size());
        rec.closeAll().get(10, TimeUnit.SECONDS);
        assertFalse(Files.exists(dir.resolve("cs_off")));
        assertTrue(Files.exists(dir.resolve("cs_on").resolve("cust_2-audio.ogg")));
    }

    @Test
    void toldOnceTheCallsFilesAreClosedAndNotForACallThatRecordedNothing() throws Exception {
        CallRecorder rec = new CallRecorder(dir, writer);
        List<String> told = new CopyOnWriteArrayList<>();
        List<Boolean> fileClosedWhenTold = new CopyOnWriteArrayList<>();
        rec.onSessionRecorded(id -> {
            told.add(id);
            fileClosedWhenTold.add(rec.active().isEmpty() && Files.exists(dir.resolve(id).resolve("cust_1-audio.ogg")));
        });
        StreamKey stream = new StreamKey("cs_1", "cust_1");
        for (int i = 0; i < 5; i++) {
            byte[] b = new byte[12 + OPUS_20MS.length];
            RtpPacket.writeHeader(b, 0, 111, true, i, 960L * i, 0x1234);
            System.arraycopy(OPUS_20MS, 0, b, 12, OPUS_20MS.length);
            rec.onRtp(stream, AUDIO, OPUS, b, 0, b.length);
        }
        rec.endSession("cs_2").get(10, TimeUnit.SECONDS); // a call that recorded nothing
        rec.endSession("cs_1").get(10, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (told.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(List.of("cs_1"), told);
        assertTrue(fileClosedWhenTold.get(0));
    }
}
