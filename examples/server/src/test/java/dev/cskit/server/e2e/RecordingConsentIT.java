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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recording consent on the real pages in headless Chromium ({@code examples/e2e/web-recording.mjs}), against one
 * server that records calls and one that does not: the customer's page shows the configured consent notice before
 * its media starts; once the call is recorded, the customer's page and the agent desk's call both show the
 * "Recording" indicator and the session is {@code recorded: true}; the dashboard's "Stop recording" takes the
 * indicator away on both pages and closes the files; with recording off neither page shows it. Screenshots land in
 * {@code target/e2e-screenshots/}.
 */
class RecordingConsentIT {

    private static final String NOTICE = "Calls are recorded for quality and training. Tell us if you object.";

    @TempDir
    Path dataOn;

    @TempDir
    Path dataOff;

    @TempDir
    Path recordingDir;

    @Test
    void bothPagesShowTheIndicatorWhileRecordedAndNeitherWhenRecordingIsOff() throws Exception {
        NodeScripts.requireTools(true);
        List<String> names = List.of("recording-consent-customer-mobile.png", "recording-customer.png",
                "recording-desk.png", "recording-stopped-desk.png", "recording-off-customer.png");
        for (String name : names) {
            Files.deleteIfExists(WebPagesIT.SHOTS.resolve(name));
        }
        String hash = OpenBSDBCrypt.generate("2b", "secret".toCharArray(), new byte[16], 4);
        List<AgentAccount> agents = List.of(new AgentAccount("agent_001", "Agent Wang", hash));
        ServerConfig ports = new ServerConfig(0, 0, "127.0.0.1", Duration.ofSeconds(60));
        CustomerService recording = new CustomerService();
        NodeScripts.Run run;
        String sessionOn;
        String sessionOff;
        try (Main.Server on = Main.start(ports, CsConfig.newBuilder().dataDir(dataOn).agents(agents).autoAssign(true)
                .enableRecording(true).recordingDir(recordingDir).consentNotice(NOTICE).build(), recording);
             Main.Server off = Main.start(ports, CsConfig.newBuilder().dataDir(dataOff).agents(agents).build(),
                     new CustomerService())) {
            run = NodeScripts.run(Duration.ofSeconds(240), "web-recording.mjs",
                    "--base", NodeScripts.baseUrl(on), "--base-off", NodeScripts.baseUrl(off), "--notice", NOTICE,
                    "--password", "secret", "--shots", WebPagesIT.SHOTS.toString());
            NodeScripts.assertPassed(run);
            sessionOn = field(run, "session");
            sessionOff = field(run, "sessionOff");
            Session s = recording.sessions().require(sessionOn);
            assertTrue(s.recorded(), s.toString());
            assertTrue(s.recordingDisabled(), s.toString());
        }
        // Kept by the journal: what a restarted server shows.
        try (JournalSessionStore store = new JournalSessionStore(dataOn)) {
            Session s = store.load().stream().filter(x -> x.id().equals(sessionOn)).findFirst().orElseThrow();
            assertTrue(s.recorded() && s.recordingDisabled(), s.toString());
        }
        try (Stream<Path> files = Files.list(recordingDir.resolve(sessionOn))) {
            assertFalse(files.toList().isEmpty(), "the recorded call's files");
        }
        assertFalse(Files.exists(recordingDir.resolve(sessionOff)), "the other server records nothing");
        for (String name : names) {
            Path png = WebPagesIT.SHOTS.resolve(name);
            assertTrue(Files.isRegularFile(png), () -> "missing screenshot " + png);
            long size = Files.size(png);
            assertTrue(size > 10 * 1024, () -> png + " is only " + size + " bytes");
        }
    }

    private static String field(NodeScripts.Run run, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(run.lastLine());
        assertTrue(m.find(), () -> name + " not in " + run.lastLine());
        return m.group(1);
    }
}
