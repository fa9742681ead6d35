/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.api.CsConfig;
import dev.cskit.server.Main;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WebRTC media path against independent real peers, through the whole server (HTTP, UDP, ICE-lite,
 * DTLS-SRTP, forwarding): werift under each SRTP profile, and two headless Chromium pages with their fake
 * camera and microphone, including hold and resume.
 */
class MediaPeersIT {

    @TempDir
    Path dataDir;

    @Test
    void weriftPayloadsArriveIntactWithAesCm() throws Exception {
        assertWeriftCall(List.of("AES_CM_128_HMAC_SHA1_80", "AEAD_AES_128_GCM"), 1);
    }

    @Test
    void weriftPayloadsArriveIntactWithAeadGcm() throws Exception {
        assertWeriftCall(List.of("AEAD_AES_128_GCM", "AES_CM_128_HMAC_SHA1_80"), 7);
    }

    /** werift offers both profiles (GCM first); the server's preference decides which one is used. */
    private void assertWeriftCall(List<String> serverPreference, int expectedProfileId) throws Exception {
        NodeScripts.requireTools(false);
        try (Main.Server server = NodeScripts.startServer(dataDir,
                CsConfig.newBuilder().srtpProfiles(serverPreference))) {
            NodeScripts.Run run = NodeScripts.run(Duration.ofSeconds(90), "werift-call.mjs",
                    "--base", NodeScripts.baseUrl(server), "--expect-profile", String.valueOf(expectedProfileId));
            NodeScripts.assertPassed(run);
            assertTrue(run.lastLine().contains("\"profile\":" + expectedProfileId), run.lastLine());
        }
    }

    @Test
    void chromiumPagesDecodeEachOtherAndHoldStopsMediaBothWays() throws Exception {
        NodeScripts.requireTools(true);
        try (Main.Server server = NodeScripts.startServer(dataDir, CsConfig.newBuilder())) {
            NodeScripts.Run run = NodeScripts.run(Duration.ofSeconds(150), "chromium-media.mjs",
                    "--base", NodeScripts.baseUrl(server));
            NodeScripts.assertPassed(run);
        }
    }
}
