/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.server.ChildServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, acceptance 5 (and the dashboard of item 3), in headless Chromium ({@code examples/e2e/agent-accounts.mjs})
 * against a zero-config server in a child process ({@code public_ip} 127.0.0.1, the default): the first agent's
 * password, read from the server log, signs in on {@code /desk.html}; the admin dashboard's Agent accounts panel
 * adds an agent, disables it (its desk is signed out, its sign-in refused like a wrong password), enables it and
 * resets a password (that desk is signed out too; only the new password works).
 */
class AgentAccountsIT {

    private static final Pattern FIRST_AGENT = Pattern.compile("created agent agent_001 with password (\\S+) ");

    @TempDir
    Path dataDir;

    @Test
    void theLoggedFirstAgentPasswordSignsInOnTheDeskAndTheDashboardManagesAgents() throws Exception {
        NodeScripts.requireTools(true);
        for (String name : new String[] {"desk-first-agent.png", "admin-agent-accounts.png"}) {
            Files.deleteIfExists(WebPagesIT.SHOTS.resolve(name));
        }
        try (ChildServer server = ChildServer.mainOnTestClassPath(dataDir)) {
            Matcher m = FIRST_AGENT.matcher(server.output());
            assertTrue(m.find(), () -> "no first-agent line in the server log:\n" + server.output());
            NodeScripts.Run run = NodeScripts.run(Duration.ofSeconds(120), "agent-accounts.mjs",
                    "--base", "http://127.0.0.1:" + server.port(), "--password", m.group(1),
                    "--shots", WebPagesIT.SHOTS.toString());
            NodeScripts.assertPassed(run);
        }
        for (String name : new String[] {"desk-first-agent.png", "admin-agent-accounts.png"}) {
            Path png = WebPagesIT.SHOTS.resolve(name);
            assertTrue(Files.isRegularFile(png) && Files.size(png) > 10 * 1024, () -> "missing screenshot " + png);
        }
    }
}
