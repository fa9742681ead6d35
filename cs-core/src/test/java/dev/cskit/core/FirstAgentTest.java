/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core;

import static dev.cskit.core.PluginHarness.P;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cskit.api.AgentAccount;
import dev.cskit.api.CsConfig;
import dev.cskit.core.auth.CountingHasher;
import dev.cskit.core.auth.FirstAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15 item 3: a first start with no agent at all makes agent_001 once, its password in data_dir (mode 600). */
class FirstAgentTest {

    @TempDir
    Path dataDir;

    // The harness sends Host cs.test, which the loopback shortcut refuses (DNS rebinding): admin calls carry a token.
    private static final String ADMIN = "first-agent-test-admin-token";
    private static final Pattern PASSWORD = Pattern.compile("(?m)^password: (\\S+)$");

    private PluginHarness start(CsConfig cfg) throws Exception {
        return new PluginHarness(cfg, () -> CustomerService.newBuilder().passwordHasher(new CountingHasher()).build());
    }

    @Test
    void aFreshServerGetsAgent001WhosePasswordLogsInAndARestartMakesNoOther() throws Exception {
        CsConfig cfg = CsConfig.newBuilder().dataDir(dataDir).adminToken(ADMIN).createFirstAgent(true).build();
        Path file = dataDir.resolve(FirstAgent.FILE);
        String password;
        try (PluginHarness h = start(cfg)) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            Matcher m = PASSWORD.matcher(Files.readString(file));
            assertTrue(m.find(), Files.readString(file));
            password = m.group(1);
            assertTrue(password.length() >= 16, password);
            JsonNode login = h.call("POST", P + "/agents/login",
                    "{\"agent_id\":\"agent_001\",\"password\":\"" + password + "\"}", null).data();
            assertEquals("agent_001", login.get("agent_id").asText());
            String before = Files.readString(file);
            h.restart();
            assertEquals(before, Files.readString(file), "the file is written once");
            JsonNode agents = h.admin("GET", P + "/agents", null).data().get("agents");
            assertEquals(1, agents.size(), agents.toString());
            assertEquals(200, h.call("POST", P + "/agents/login",
                    "{\"agent_id\":\"agent_001\",\"password\":\"" + password + "\"}", null).status());
            // Removed by the admin: a restart does not bring it back either.
            h.admin("DELETE", P + "/agents/agent_001", null);
            Files.delete(file);
            h.restart();
            assertEquals(0, h.admin("GET", P + "/agents", null).data().get("agents").size());
            assertFalse(Files.exists(file));
        }
    }

    @Test
    void configuredAgentsOrTheSettingOffMakeNone() throws Exception {
        CsConfig seeded = CsConfig.newBuilder().dataDir(dataDir).adminToken(ADMIN).createFirstAgent(true)
                .agents(List.of(new AgentAccount("agent_042", "Seed", ""))).build();
        try (PluginHarness h = start(seeded)) {
            assertFalse(Files.exists(dataDir.resolve(FirstAgent.FILE)));
            assertEquals(1, h.admin("GET", P + "/agents", null).data().get("agents").size());
        }
        Path other = dataDir.resolve("other");
        try (PluginHarness h = start(CsConfig.newBuilder().dataDir(other).adminToken(ADMIN).build())) {
            assertFalse(Files.exists(other.resolve(FirstAgent.FILE)));
            assertEquals(0, h.admin("GET", P + "/agents", null).data().get("agents").size());
        }
    }
}
