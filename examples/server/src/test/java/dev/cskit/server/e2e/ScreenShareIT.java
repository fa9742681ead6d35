/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.api.AgentAccount;
import dev.cskit.api.CsConfig;
import dev.cskit.server.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, acceptance 4: screen share on the real call page in headless Chromium ({@code examples/e2e/web-screen.mjs};
 * the fake-media flags give {@code getDisplayMedia} a fake 16:9 screen). The customer shares: the agent's page plays
 * the screen with a second WHEP and decodes its frames while its camera track keeps decoding, shown large with the
 * camera as a thumbnail; "Stop sharing" deletes only the screen's WHIP resource, the agent's screen player goes away
 * and the camera keeps decoding on the same peer connections. Then the agent shares and the browser's own stop ends
 * it. With recording on, each share is a file of its own that says {@code screen}. Screenshots land in
 * {@code target/e2e-screenshots/}.
 */
class ScreenShareIT {

    private static final List<String> SHOTS = List.of("screen-share-agent.png", "screen-share-customer.png",
            "screen-share-stopped-customer.png");

    @TempDir
    Path dataDir;

    @TempDir
    Path recordingDir;

    @Test
    void theOtherPartyDecodesTheScreenBesideTheCameraUntilTheShareStops() throws Exception {
        NodeScripts.requireTools(true);
        NodeScripts.deleteShots(SHOTS);
        List<AgentAccount> agents = List.of(NodeScripts.agentWang());
        NodeScripts.Run run;
        try (Main.Server server = NodeScripts.startServer(dataDir, CsConfig.newBuilder().agents(agents)
                .enableRecording(true).recordingDir(recordingDir))) {
            run = NodeScripts.run(Duration.ofSeconds(240), "web-screen.mjs", "--base", NodeScripts.baseUrl(server),
                    "--agent-id", "agent_001", "--shots", WebPagesIT.SHOTS.toString());
            NodeScripts.assertPassed(run);
        }
        // Recorded: each party's share is a file of its own, named so, beside its camera's files.
        String session = NodeScripts.field(run, "session");
        String customer = NodeScripts.field(run, "customer");
        List<String> files;
        try (Stream<Path> s = Files.list(recordingDir.resolve(session))) {
            files = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        for (String user : List.of(customer, "agent_001")) {
            assertTrue(files.stream().anyMatch(f -> f.matches(Pattern.quote(user) + "\\.screen-video\\.(ivf|h264)")),
                    user + "'s screen file in " + files);
            assertTrue(files.stream().anyMatch(f -> f.matches(Pattern.quote(user) + "-video\\.(ivf|h264)")),
                    user + "'s camera file in " + files);
        }
        NodeScripts.assertShots(SHOTS);
    }
}
