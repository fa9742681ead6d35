/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.api.CsConfig;
import dev.cskit.server.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Codec agreement between a publisher and a player of different stacks, with real encoders ({@code codec-peers.mjs}):
 * ffmpeg encodes H.264 (libx264, baseline), VP8 (libvpx) and Opus (libopus) and sends RTP on 127.0.0.1 to werift,
 * which publishes it over WHIP; headless Chromium plays over WHEP with a plain RTCPeerConnection and must decode what
 * it gets, whatever it put first in its offer. One Chromium serves every case; each case has its own session.
 */
class CodecPeersIT {

    /** The script's checks, each of which must be reported ok. */
    private static final List<String> CHECKS = List.of(
            // H.264 publisher, Chromium's default offer (VP8 first): H.264 frames decoded, Opus samples received.
            "h264.publisherAnswerIsH264", "h264.playerOffersVp8First", "h264.chromiumDecodesH264Frames",
            "opus.weriftToChromiumSamplesRise",
            // VP8 publisher, a player that puts H.264 first (VP8 still offered): VP8 frames decoded.
            "vp8.publisherAnswerIsVp8", "vp8.playerOffersH264First", "vp8.chromiumDecodesVp8Frames",
            // A default Chromium player that plays before its H.264 publisher exists gets H.264 once it comes.
            "late.playerAnswerHasH264", "late.chromiumDecodesH264Frames",
            // Chromium's microphone (Opus) over WHIP, played by werift: Opus packets arrive and decrypt.
            "opus.chromiumToWeriftPacketsDecrypted");

    @TempDir
    Path dataDir;

    @Test
    void h264AndVp8PublishersPlayInChromiumWhicheverCodecItPrefersAndOpusFlowsBothWays() throws Exception {
        NodeScripts.requireTools(true);
        Path ffmpeg = Path.of(System.getenv().getOrDefault("FFMPEG", "/usr/bin/ffmpeg"));
        assertTrue(Files.isExecutable(ffmpeg), "ffmpeg is not installed: apt-get install -y ffmpeg (bash .ci/run does)");
        try (Main.Server server = NodeScripts.startServer(dataDir, CsConfig.newBuilder())) {
            NodeScripts.Run run = NodeScripts.run(Duration.ofSeconds(110), "codec-peers.mjs",
                    "--base", NodeScripts.baseUrl(server));
            NodeScripts.assertPassed(run);
            for (String check : CHECKS) {
                assertTrue(run.lastLine().contains("\"" + check + "\":{\"ok\":true"), () -> check + ": " + run.lastLine());
            }
        }
    }
}
