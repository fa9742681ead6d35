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
 * A Firefox ESR customer and a Chromium agent in one call through the shipped call page ({@code firefox-call.mjs}):
 * the API creates and assigns the session, each browser opens the link the API gives, the agent accepts; video
 * frames are decoded and audio is received both ways (Firefox's from its getStats: headless, it has no audio
 * output), Firefox uses VP8, the agent hangs up. The server's room report and Chromium's transport stats show that
 * the SRTP profile in use is the one the server was configured with.
 */
class FirefoxCallIT {

    static final Path SHOTS = WebPagesIT.SHOTS;

    @TempDir
    Path dataDir;

    @TempDir
    Path dataDir2;

    /**
     * One server per SRTP profile ({@code srtp_profiles: [AES_CM_128_HMAC_SHA1_80]}, then {@code [AEAD_AES_128_GCM]}),
     * {@code public_ip: 127.0.0.1}, so Firefox needs {@code media.peerconnection.ice.loopback}. Both calls run in
     * one script so that the browsers are launched once.
     */
    @Test
    void firefoxCustomerAndChromiumAgentCallUnderEachSrtpProfile() throws Exception {
        NodeScripts.requireFirefox();
        try (Main.Server aesCm = NodeScripts.startServer(dataDir,
                     CsConfig.newBuilder().srtpProfiles(List.of("AES_CM_128_HMAC_SHA1_80")));
             Main.Server gcm = NodeScripts.startServer(dataDir2,
                     CsConfig.newBuilder().srtpProfiles(List.of("AEAD_AES_128_GCM")))) {
            NodeScripts.Run run = NodeScripts.run(Duration.ofSeconds(120), "firefox-call.mjs",
                    "--targets", NodeScripts.baseUrl(aesCm) + "=AES_CM_128_HMAC_SHA1_80,"
                            + NodeScripts.baseUrl(gcm) + "=AEAD_AES_128_GCM",
                    "--shots", SHOTS.toString());
            NodeScripts.assertPassed(run);
            for (String profile : List.of("AES_CM_128_HMAC_SHA1_80", "AEAD_AES_128_GCM")) {
                assertTrue(run.lastLine().contains("\"" + profile + ".serverUsedProfile\":{\"ok\":true"), run.lastLine());
            }
        }
        assertTrue(Files.size(SHOTS.resolve("firefox-customer-AEAD_AES_128_GCM.png")) > 10 * 1024);
    }

    /**
     * In a private network namespace with 198.18.0.1/24 on a veth ({@link NetNs}), the server jar runs with
     * {@code public_ip} unset (so it advertises every interface address: 198.18.0.1, then loopback) and
     * {@code srtp_profiles: [AEAD_AES_128_GCM]}; a Firefox customer page keeps its default ICE prefs (no loopback)
     * and a Chromium agent page its defaults, and the pages are served from {@code http://localhost} (a secure
     * context), so only the ICE candidates use the veth address. Every selected ICE pair of both browsers must have
     * the server's side at 198.18.0.1, and the start log names every advertised address.
     */
    @Test
    void firefoxWithDefaultIcePrefsAndChromiumConnectOverAVethAddressInANamespace() throws Exception {
        NodeScripts.requireFirefox();
        try (NetNs ns = NetNs.create("198.18.0.1/24");
             NsServer server = NsServer.start(ns, dataDir, String.join("\n",
                     "customer_service:",
                     "  srtp_profiles: [AEAD_AES_128_GCM]",
                     ""))) {
            NodeScripts.Run run = NodeScripts.run(ns::command, Duration.ofSeconds(90), "firefox-call.mjs",
                    "--targets", "http://localhost:" + server.port() + "=AEAD_AES_128_GCM",
                    "--firefox-loopback", "false", "--expect-remote-address", ns.address());
            NodeScripts.assertPassed(run);
            assertTrue(run.lastLine().contains("\"AEAD_AES_128_GCM.icePairsUse198.18.0.1\":{\"ok\":true"),
                    run.lastLine());
            String log = server.log();
            assertTrue(log.contains("WebRTC media on udp/") && log.contains(" as 198.18.0.1, 127.0.0.1"), log);
        }
    }
}
