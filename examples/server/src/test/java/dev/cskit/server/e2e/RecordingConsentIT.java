/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.api.AgentAccount;
import dev.cskit.api.CsConfig;
import dev.cskit.api.session.Session;
import dev.cskit.core.CustomerService;
import dev.cskit.core.session.JournalSessionStore;
import dev.cskit.server.Main;
import dev.cskit.server.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recording consent on the real pages in headless Chromium ({@code examples/e2e/web-recording.mjs}): on a server
 * that records calls, the customer's page shows the configured consent notice before its media starts; once the
 * call is recorded, the customer's page and the agent desk's call both show the "Recording" indicator and the
 * session is {@code recorded: true}; the dashboard's "Stop recording" takes the indicator away on both pages and
 * closes the files. On a server that does not record, neither page shows it. Screenshots land in
 * {@code target/e2e-screenshots/}.
 */
class RecordingConsentIT {

    private static final String NOTICE = "Calls are recorded for quality and training. Tell us if you object.";
    private static final ServerConfig PORTS = new ServerConfig(0, 0, "127.0.0.1", Duration.ofSeconds(60));

    @TempDir
    Path dataDir;

    @TempDir
    Path recordingDir;

    private static List<AgentAccount> agents() {
        return List.of(NodeScripts.agentWang());
    }

    @Test
    void bothPagesShowTheIndicatorFromTheFirstRecordedPacketUntilAnAdminStopsIt() throws Exception {
        NodeScripts.requireTools(true);
        List<String> names = List.of("recording-consent-customer-mobile.png", "recording-customer.png",
                "recording-desk.png", "recording-stopped-desk.png");
        NodeScripts.deleteShots(names);
        CustomerService plugin = new CustomerService();
        String session;
        try (Main.Server server = Main.start(PORTS, CsConfig.newBuilder().dataDir(dataDir).agents(agents())
                .autoAssign(true).enableRecording(true).recordingDir(recordingDir).consentNotice(NOTICE).build(), plugin)) {
            NodeScripts.Run run = NodeScripts.run(Duration.ofSeconds(270), "web-recording.mjs", "--mode", "on",
                    "--base", NodeScripts.baseUrl(server), "--notice", NOTICE, "--password", "secret",
                    "--shots", WebPagesIT.SHOTS.toString());
            NodeScripts.assertPassed(run);
            session = NodeScripts.field(run, "session");
            Session s = plugin.sessions().require(session);
            assertTrue(s.recorded() && s.recordingDisabled(), s.toString());
        }
        // Kept by the journal: what a restarted server shows.
        try (JournalSessionStore store = new JournalSessionStore(dataDir)) {
            Session s = store.load().stream().filter(x -> x.id().equals(session)).findFirst().orElseThrow();
            assertTrue(s.recorded() && s.recordingDisabled(), s.toString());
        }
        try (Stream<Path> files = Files.list(recordingDir.resolve(session))) {
            assertFalse(files.toList().isEmpty(), "the recorded call's files");
        }
        NodeScripts.assertShots(names);
    }

    @Test
    void withRecordingOffNeitherPageShowsTheIndicatorNorTheNotice() throws Exception {
        NodeScripts.requireTools(true);
        List<String> names = List.of("recording-off-customer.png");
        NodeScripts.deleteShots(names);
        CustomerService plugin = new CustomerService();
        try (Main.Server server = Main.start(PORTS, CsConfig.newBuilder().dataDir(dataDir).agents(agents())
                .recordingDir(recordingDir).build(), plugin)) {
            NodeScripts.Run run = NodeScripts.run(Duration.ofSeconds(180), "web-recording.mjs", "--mode", "off",
                    "--base", NodeScripts.baseUrl(server), "--shots", WebPagesIT.SHOTS.toString());
            NodeScripts.assertPassed(run);
            assertFalse(plugin.sessions().require(NodeScripts.field(run, "session")).recorded());
        }
        try (Stream<Path> files = Files.list(recordingDir)) {
            assertTrue(files.toList().isEmpty(), "nothing recorded");
        }
        NodeScripts.assertShots(names);
    }
}
