/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server.e2e;


import dev.cskit.api.AgentAccount;
import dev.cskit.api.CsConfig;
import dev.cskit.server.Main;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent desk page with the agent pool routing calls, in headless Chromium against the real server
 * ({@code examples/e2e/web-desk.mjs}): agents sign in through the lobby and go Ready on their desks; a new
 * session rings the desk with a countdown and the chime; a reject rings the other agent; accepting opens the
 * call over the desk and video flows both ways; a customer waiting with nobody ready sees its queue position;
 * an audio-only accept captures no camera; after hanging up the desk is Ready again with the call counted.
 * Screenshots of the ringing desk land in {@code target/e2e-screenshots/}.
 */
class AgentDeskIT {

    @TempDir
    Path dataDir;

    @Test
    void deskRingsRejectRingsTheNextAgentAcceptConnectsAndHangUpReturnsReady() throws Exception {
        NodeScripts.requireTools(true);
        List<String> names = List.of("desk-ringing-desktop.png", "desk-ringing-mobile.png", "customer-queue-mobile.png",
                "admin-agents.png");
        NodeScripts.deleteShots(names);
        String hash = OpenBSDBCrypt.generate("2b", "secret".toCharArray(), new byte[16], 4);
        CsConfig.Builder cs = CsConfig.newBuilder().autoAssign(true)
                .agents(List.of(new AgentAccount("agent_001", "Agent Wang", hash),
                        new AgentAccount("agent_002", "Agent Li", hash)));
        try (Main.Server server = NodeScripts.startServer(dataDir, cs)) {
            NodeScripts.Run run = NodeScripts.run(Duration.ofSeconds(160), "web-desk.mjs",
                    "--base", NodeScripts.baseUrl(server), "--password", "secret",
                    "--shots", WebPagesIT.SHOTS.toString());
            NodeScripts.assertPassed(run);
        }
        NodeScripts.assertShots(names);
    }
}
