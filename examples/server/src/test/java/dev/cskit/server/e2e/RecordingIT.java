/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.api.CsConfig;
import dev.cskit.server.Main;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Call recording through the whole server: werift publishes both parties' audio and video, the files appear in
 * {@code recording_dir/{session_id}/} and grow during the call, and after the end the admin API serves each with
 * its content type ({@code werift-record.mjs}); while the agent holds the call nothing is written. The payloads are synthetic, so ffprobe is asked to demux the
 * files (every packet and frame header must parse), not to decode them.
 */
class RecordingIT {

    @TempDir
    Path dataDir;

    @TempDir
    Path recordingDir;

    @Test
    void weriftCallIsRecordedPerPartyAndKindAndServedAfterTheEnd() throws Exception {
        NodeScripts.requireTools(false);
        NodeScripts.Run run;
        try (Main.Server server = NodeScripts.startServer(dataDir, CsConfig.newBuilder()
                .enableRecording(true).recordingDir(recordingDir))) {
            run = NodeScripts.run(Duration.ofSeconds(90), "werift-record.mjs", "--base", NodeScripts.baseUrl(server));
        }
        NodeScripts.assertPassed(run);
        Matcher m = Pattern.compile("\"session\":\"([^\"]+)\"").matcher(run.lastLine());
        assertTrue(m.find(), run.lastLine());
        Path dir = recordingDir.resolve(m.group(1));
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.sorted().toList();
        }
        assertEquals(4, files.size(), files.toString());
        for (Path f : files) {
            String name = f.getFileName().toString();
            String ext = name.substring(name.lastIndexOf('.') + 1);
            long packets = ffprobePackets(f);
            // 170 packets sent, 25 of them on hold (never written). Loopback without loss: allow a few sent
            // before DTLS finished.
            assertTrue(packets >= 125, name + ": ffprobe read " + packets + " of the 145 packets sent while not held");
            assertTrue(packets <= 145, name + ": ffprobe read " + packets + " of the 145 packets sent while not held");
            assertTrue(List.of("ogg", "ivf", "h264").contains(ext), name);
        }
    }

    private static long ffprobePackets(Path file) throws Exception {
        Process p = new ProcessBuilder("ffprobe", "-v", "error", "-count_packets", "-select_streams", "0",
                "-show_entries", "stream=nb_read_packets", "-of", "csv=p=0", file.toString())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "ffprobe timed out");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.exitValue(), out);
        return Long.parseLong(out.lines().reduce((a, b) -> b).orElse("-1").trim());
    }
}
