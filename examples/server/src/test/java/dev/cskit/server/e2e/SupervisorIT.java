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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, acceptance 6: a supervisor monitors a call and whispers to its agent, on the real pages in headless
 * Chromium ({@code examples/e2e/web-supervisor.mjs}). The supervisor is the admin dashboard (its "Monitor" on the
 * call's room row): it decodes both parties' video and hears both parties' audio (inbound audio power) on two WHEPs of
 * its monitor token; the room never lists it (GET /rooms, the frames both pages got) and the customer gets no frame of
 * it; the agent alone gets {@code supervisor_listening} and shows a badge. The whisper (Chromium's fake microphone
 * beep) raises the audio power of the agent's whisper player while the customer's inbound audio, with the agent
 * muted, stays silent; the customer's WHEP of the whisper path is refused 403. Screenshots land in
 * {@code target/e2e-screenshots/}.
 */
class SupervisorIT {

    private static final List<String> SHOTS = List.of("supervisor-monitor.png", "supervisor-agent.png");

    @TempDir
    Path dataDir;

    @Test
    void theSupervisorHearsBothPartiesUnseenAndItsWhisperReachesOnlyTheAgent() throws Exception {
        NodeScripts.requireTools(true);
        NodeScripts.deleteShots(SHOTS);
        List<AgentAccount> agents = List.of(NodeScripts.agentWang());
        try (Main.Server server = NodeScripts.startServer(dataDir, CsConfig.newBuilder().agents(agents))) {
            NodeScripts.Run run = NodeScripts.run(Duration.ofSeconds(240), "web-supervisor.mjs", "--base",
                    NodeScripts.baseUrl(server), "--agent-id", "agent_001", "--shots", WebPagesIT.SHOTS.toString());
            NodeScripts.assertPassed(run);
        }
        NodeScripts.assertShots(SHOTS);
    }
}
