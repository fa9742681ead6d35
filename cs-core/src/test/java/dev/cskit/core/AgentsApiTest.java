/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core;

import static dev.cskit.core.PluginHarness.P;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cskit.api.AgentAccount;
import dev.cskit.api.CsConfig;
import dev.cskit.core.PluginHarness.Resp;
import dev.cskit.core.auth.CountingHasher;
import dev.cskit.core.session.JournalAgentStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 item 3: agents added, changed, disabled and removed at runtime through the admin API, kept in the agent
 * journal beside the sessions; a disabled agent is refused like a wrong password and its desk is signed out.
 */
class AgentsApiTest {

    private static final String ADMIN = "admin-token-0123456789";

    @TempDir
    Path dataDir;

    private final CountingHasher hasher = new CountingHasher();
    private PluginHarness h;

    @BeforeEach
    void start() throws Exception {
        String hash = OpenBSDBCrypt.generate("2b", "secret".toCharArray(), new byte[16], 4);
        CsConfig cfg = CsConfig.newBuilder().dataDir(dataDir).adminToken(ADMIN)
                .agents(List.of(new AgentAccount("agent_001", "Agent Wang", hash))).build();
        h = new PluginHarness(cfg, () -> CustomerService.newBuilder().passwordHasher(hasher).build());
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private Resp login(String id, String password) {
        return h.call("POST", P + "/agents/login", "{\"agent_id\":\"" + id + "\",\"password\":\"" + password + "\"}",
                null);
    }

    private JsonNode agentsById() {
        JsonNode list = h.admin("GET", P + "/agents", null).data().get("agents");
        com.fasterxml.jackson.databind.node.ObjectNode byId = PluginHarness.JSON.createObjectNode();
        list.forEach(a -> byId.set(a.get("id").asText(), a));
        return byId;
    }

    @Test
    void createLogInRenameResetDisableEnableAndDelete() throws Exception {
        Resp created = h.admin("POST", P + "/agents", "{\"id\":\"agent_007\",\"name\":\"Agent Bond\",\"password\":\"s3cret!\"}");
        assertEquals(200, created.status(), created.body().toString());
        assertEquals("agent_007", created.data().get("id").asText());
        assertEquals("Agent Bond", created.data().get("name").asText());
        assertTrue(created.data().get("enabled").asBoolean());
        assertFalse(created.body().toString().contains("$2"), "no hash is ever sent: " + created.body());
        JsonNode listed = agentsById().get("agent_007");
        assertEquals("offline", listed.get("state").asText());
        assertTrue(listed.get("enabled").asBoolean());
        assertTrue(listed.get("configured").asBoolean());

        String token = login("agent_007", "s3cret!").data().get("token").asText();
        assertEquals(200, h.call("GET", P + "/agents/agent_007", null, token).status());

        // A new name leaves its logins alone; a new password revokes them.
        assertEquals("James", h.admin("PATCH", P + "/agents/agent_007", "{\"name\":\" James \"}").data().get("name").asText());
        assertEquals(200, h.call("GET", P + "/agents/agent_007", null, token).status());
        assertEquals(200, h.admin("PATCH", P + "/agents/agent_007", "{\"password\":\"n3w-pass\"}").status());
        assertEquals(401, h.call("GET", P + "/agents/agent_007", null, token).status());
        assertEquals(401, login("agent_007", "s3cret!").status());
        String second = login("agent_007", "n3w-pass").data().get("token").asText();

        // Disabled: the same 401 as a wrong password, its tokens refused; enabled again: old tokens stay dead.
        assertEquals(false, h.admin("PATCH", P + "/agents/agent_007", "{\"enabled\":false}").data().get("enabled").asBoolean());
        Resp disabledLogin = login("agent_007", "n3w-pass");
        Resp wrongPassword = login("agent_001", "wrong");
        assertEquals(401, disabledLogin.status());
        assertEquals(wrongPassword.body(), disabledLogin.body());
        assertEquals(401, h.call("GET", P + "/agents/agent_007", null, second).status());
        assertFalse(agentsById().get("agent_007").get("enabled").asBoolean());
        assertEquals(200, h.admin("PATCH", P + "/agents/agent_007", "{\"enabled\":true}").status());
        assertEquals(401, h.call("GET", P + "/agents/agent_007", null, second).status());
        assertEquals(200, login("agent_007", "n3w-pass").status());

        assertEquals("agent agent_007 removed", h.admin("DELETE", P + "/agents/agent_007", null).message());
        assertEquals(401, login("agent_007", "n3w-pass").status());
        assertFalse(agentsById().has("agent_007"));
        assertEquals(404, h.admin("GET", P + "/agents/agent_007", null).status());
    }

    @Test
    void everythingIsKeptAcrossARestartAndARemovedSeedStaysRemoved() throws Exception {
        h.admin("POST", P + "/agents", "{\"id\":\"agent_007\",\"name\":\"Bond\",\"password\":\"pw-7\"}");
        h.admin("POST", P + "/agents", "{\"id\":\"agent_008\",\"name\":\"Eight\",\"password\":\"pw-8\"}");
        h.admin("PATCH", P + "/agents/agent_008", "{\"enabled\":false}");
        h.admin("DELETE", P + "/agents/agent_001", null); // a seed from the configuration
        String token = login("agent_007", "pw-7").data().get("token").asText();

        h.restart();

        JsonNode agents = agentsById();
        assertFalse(agents.has("agent_001"), agents.toString());
        assertTrue(agents.get("agent_007").get("enabled").asBoolean());
        assertFalse(agents.get("agent_008").get("enabled").asBoolean());
        assertEquals(200, h.call("GET", P + "/agents/agent_007", null, token).status(), "the login survives too");
        assertEquals(200, login("agent_007", "pw-7").status());
        assertEquals(401, login("agent_008", "pw-8").status());
        assertEquals(401, login("agent_001", "secret").status());
        assertTrue(Files.size(dataDir.resolve(JournalAgentStore.JOURNAL)) > 0);
    }

    @Test
    void badInputGetsAClear4xxAndChangesNothing() throws Exception {
        h.admin("POST", P + "/agents", "{\"id\":\"agent_007\",\"name\":\"Bond\",\"password\":\"pw\"}");
        JsonNode before = agentsById();
        byte[] journal = Files.readAllBytes(dataDir.resolve(JournalAgentStore.JOURNAL));
        int checks = hasher.checks();
        record Bad(String method, String path, String body, int status, String says) {
        }
        List<Bad> bad = new ArrayList<>(List.of(
                new Bad("POST", "/agents", "{\"id\":\"agent_007\",\"name\":\"X\",\"password\":\"pw\"}", 409, "exists already"),
                new Bad("POST", "/agents", "{\"id\":\"agent_001\",\"name\":\"X\",\"password\":\"pw\"}", 409, "exists already"),
                new Bad("POST", "/agents", "{\"id\":\"a|b\",\"name\":\"X\",\"password\":\"pw\"}", 400, "field 'id' must be 1 to 64"),
                new Bad("POST", "/agents", "{\"id\":\"x/y\",\"name\":\"X\",\"password\":\"pw\"}", 400, "no dots, slashes"),
                new Bad("POST", "/agents", "{\"id\":\"a.b\",\"name\":\"X\",\"password\":\"pw\"}", 400, "no dots"),
                new Bad("POST", "/agents", "{\"id\":\"" + "a".repeat(65) + "\",\"name\":\"X\",\"password\":\"pw\"}", 400, "65 characters"),
                new Bad("POST", "/agents", "{\"id\":\"\",\"name\":\"X\",\"password\":\"pw\"}", 400, "must be 1 to 64"),
                new Bad("POST", "/agents", "{\"id\":\"agent_009\",\"name\":\"X\",\"password\":\"\"}", 400, "it was empty"),
                new Bad("POST", "/agents", "{\"id\":\"agent_009\",\"name\":\"X\",\"password\":\"" + "p".repeat(73) + "\"}", 400, "1 to 72 bytes"),
                new Bad("POST", "/agents", "{\"id\":\"agent_009\",\"name\":\"  \",\"password\":\"pw\"}", 400, "name must not be blank"),
                new Bad("POST", "/agents", "{\"id\":\"agent_009\",\"password\":\"pw\"}", 400, "field 'name' is required"),
                new Bad("POST", "/agents", "{\"id\":\"agent_009\",\"name\":\"X\",\"password\":\"pw\",\"role\":\"boss\"}", 400, "unknown field 'role'"),
                new Bad("POST", "/agents", "{\"id\":\"agent_009\",\"name\":\"X\",\"password\":5}", 400, "must be a string"),
                new Bad("PATCH", "/agents/agent_404", "{\"name\":\"X\"}", 404, "no agent agent_404"),
                new Bad("PATCH", "/agents/a.b", "{\"name\":\"X\"}", 400, "agent id must be 1 to 64"),
                new Bad("PATCH", "/agents/agent_007", "{}", 400, "at least one of"),
                new Bad("PATCH", "/agents/agent_007", "{\"enabled\":\"no\"}", 400, "must be true or false"),
                new Bad("PATCH", "/agents/agent_007", "{\"enabled\":null}", 400, "not null"),
                new Bad("PATCH", "/agents/agent_007", "{\"password\":\"\"}", 400, "it was empty"),
                new Bad("PATCH", "/agents/agent_007", "{\"id\":\"agent_100\"}", 400, "unknown field 'id'"),
                new Bad("DELETE", "/agents/agent_404", null, 404, "no agent agent_404"),
                new Bad("DELETE", "/agents/a%7Cb", null, 400, "agent id must be 1 to 64")));
        for (Bad b : bad) {
            Resp r = h.admin(b.method(), P + b.path(), b.body());
            assertEquals(b.status(), r.status(), b + " -> " + r.body());
            assertTrue(r.message().contains(b.says()), b + " -> " + r.message());
        }
        // Not an admin: refused before anything is read.
        assertEquals(401, h.call("POST", P + "/agents", "{\"id\":\"agent_009\",\"name\":\"X\",\"password\":\"pw\"}", null).status());
        assertEquals(403, h.call("DELETE", P + "/agents/agent_007", null, "wrong").status());

        assertEquals(before, agentsById());
        assertArrayEquals(journal, Files.readAllBytes(dataDir.resolve(JournalAgentStore.JOURNAL)));
        assertEquals(checks, hasher.checks());
    }

    @Test
    void aDisabledAgentsDeskIsSignedOutAndItsTokenOpensNothing() throws Exception {
        String token = login("agent_001", "secret").data().get("token").asText();
        assertEquals("joined", h.rooms.join("agent/agent_001", "agent_001", token));
        h.rooms.send("agent/agent_001", "agent_001", "{\"action\":\"agent_ready\"}");
        assertEquals("ready", agentsById().get("agent_001").get("state").asText());

        assertEquals(200, h.admin("PATCH", P + "/agents/agent_001", "{\"enabled\":false}").status());

        List<JsonNode> out = h.rooms.received("agent_001", "signed_out");
        assertEquals(1, out.size(), h.rooms.inbox("agent_001").toString());
        assertEquals("disabled", out.get(0).get("reason").asText());
        assertFalse(h.rooms.seated("agent/agent_001", "agent_001"));
        assertEquals("offline", agentsById().get("agent_001").get("state").asText());
        // Its token opens nothing any more: not the lobby, not its desk's state, not a status change.
        assertEquals("unauthorized", h.rooms.join("agent/agent_001", "agent_001", token));
        assertEquals(401, h.call("POST", P + "/agents/agent_001/status", "{\"status\":\"ready\"}", token).status());
        Resp asAdmin = h.admin("POST", P + "/agents/agent_001/status", "{\"status\":\"ready\"}");
        assertEquals(409, asAdmin.status());
        assertTrue(asAdmin.message().contains("disabled"), asAdmin.message());
    }

    @Test
    void aPasswordResetSignsTheDeskOutToo() {
        String token = login("agent_001", "secret").data().get("token").asText();
        assertEquals("joined", h.rooms.join("agent/agent_001", "agent_001", token));
        assertEquals(200, h.admin("PATCH", P + "/agents/agent_001", "{\"password\":\"other\"}").status());
        assertEquals("password_changed", h.rooms.received("agent_001", "signed_out").get(0).get("reason").asText());
        assertFalse(h.rooms.seated("agent/agent_001", "agent_001"));
        String fresh = login("agent_001", "other").data().get("token").asText();
        assertEquals("joined", h.rooms.join("agent/agent_001", "agent_001", fresh));
    }
}
