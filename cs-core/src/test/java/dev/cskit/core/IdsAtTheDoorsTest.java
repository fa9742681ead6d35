/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core;

import static dev.cskit.core.PluginHarness.P;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cskit.api.AgentAccount;
import dev.cskit.api.CsConfig;
import dev.cskit.api.Ids;
import dev.cskit.api.http.HttpRequest;
import dev.cskit.core.PluginHarness.Resp;
import java.util.List;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 12 defect 6: agent, session and user ids meet {@code [A-Za-z0-9_-]{1,64}} at every door, with a clear 400
 * (or {@code bad_request} frame), and a refused id changes nothing. Before, {@code assign} took {@code a|b} (its
 * links then failed with "unknown token kind") and {@code x/y} (its WHIP publish got 404).
 */
class IdsAtTheDoorsTest {

    private PluginHarness h;
    private String sessionId;

    @BeforeEach
    void start() throws Exception {
        String hash = OpenBSDBCrypt.generate("2b", "secret".toCharArray(), new byte[16], 4);
        CsConfig cfg = CsConfig.newBuilder().dataDir(null).adminToken("admin-token-0123456789")
                .agents(List.of(new AgentAccount("agent_001", "Agent Wang", hash))).build();
        h = new PluginHarness(cfg, CustomerService::new);
        sessionId = h.admin("POST", P + "/sessions", "{\"title\":\"t\",\"customer_name\":\"c\"}").data().get("id").asText();
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a|b", "x/y", "a.b", "..", "a b", "ä", "agent\u0000", ""})
    void assignAndTransferRefuseAgentIdsThatCannotWork(String bad) throws Exception {
        String body = "{\"agent_id\":" + PluginHarness.JSON.writeValueAsString(bad) + ",\"agent_name\":\"X\"}";
        Resp r = h.admin("POST", P + "/sessions/" + sessionId + "/assign", body);
        assertEquals(400, r.status(), r.body().toString());
        assertTrue(r.message().contains("agent_id must be 1 to 64 characters of A-Z, a-z, 0-9, '_' or '-'")
                || r.message().contains("field 'agent_id' is required"), r.message());
        JsonNode s = h.admin("GET", P + "/sessions/" + sessionId, null).data();
        assertTrue(s.get("agent_id").isNull(), "nothing changed: " + s);
        Resp t = h.admin("POST", P + "/sessions/" + sessionId + "/transfer",
                "{\"to_agent_id\":" + PluginHarness.JSON.writeValueAsString(bad) + ",\"to_agent_name\":\"X\"}");
        assertEquals(400, t.status(), t.body().toString());
    }

    @Test
    void aValidAgentIdStillWorksEndToEndIncludingItsLinks() {
        assertEquals(200, h.admin("POST", P + "/sessions/" + sessionId + "/assign",
                "{\"agent_id\":\"agent_x-9\",\"agent_name\":\"X\"}").status());
        JsonNode links = h.admin("GET", P + "/sessions/" + sessionId + "/links", null).data();
        assertEquals("joined", h.rooms.join("customer-service/" + sessionId, "agent_x-9",
                links.get("agent_token").asText()));
    }

    @Test
    void pathIdsAreCheckedBeforeAnythingIsLookedUp() {
        for (String path : new String[] {"/sessions/a.b", "/sessions/a%7Cb/links", "/sessions/" + "s".repeat(65),
                "/sessions/x%20y/recordings", "/agents/a.b"}) {
            Resp r = h.admin("GET", P + path, null);
            assertEquals(400, r.status(), path + " -> " + r.body());
            assertTrue(r.message().contains("must be 1 to 64 characters"), r.message());
        }
        // The host decodes %7C before routing; the plugin sees the decoded id.
        Resp decoded = h.raw(HttpRequest.newBuilder("DELETE", P + "/sessions/a|b")
                .header("Authorization", "Bearer admin-token-0123456789").build());
        assertEquals(400, decoded.status());
        assertEquals(404, h.admin("GET", P + "/sessions/cs_nope", null).status(), "a well-formed unknown id is 404");
    }

    @Test
    void roomJoinsRefuseMalformedUserAndSessionIds() {
        String customerToken = h.admin("GET", P + "/sessions/" + sessionId + "/links", null).data()
                .get("customer_token").asText();
        assertEquals("bad_request", h.rooms.join("customer-service/" + sessionId, "x/y", customerToken));
        assertTrue(h.rooms.received("x/y", "error").get(0).get("message").asText().contains("user id must be"));
        assertEquals("bad_request", h.rooms.join("customer-service/a.b", "c", customerToken));
        assertEquals("bad_request", h.rooms.join("agent/a|b", "a|b", "token"));
    }

    @Test
    void roomActionsRefuseMalformedIdsWithBadRequest() {
        JsonNode links = h.admin("POST", P + "/sessions/" + sessionId + "/assign",
                "{\"agent_id\":\"agent_001\",\"agent_name\":\"Wang\"}").data();
        assertEquals("agent_001", links.get("agent_id").asText());
        String agentToken = h.admin("GET", P + "/sessions/" + sessionId + "/links", null).data()
                .get("agent_token").asText();
        String room = "customer-service/" + sessionId;
        assertEquals("joined", h.rooms.join(room, "agent_001", agentToken));
        h.rooms.send(room, "agent_001", "{\"action\":\"accept_call\"}");
        h.rooms.send(room, "agent_001", "{\"action\":\"transfer_call\",\"to_agent_id\":\"a|b\",\"to_agent_name\":\"X\"}");
        JsonNode e = h.rooms.received("agent_001", "error").get(0);
        assertEquals("bad_request", e.get("code").asText());
        assertTrue(e.get("message").asText().contains("to_agent_id must be 1 to 64"), e.toString());
        assertEquals("agent_001", h.admin("GET", P + "/sessions/" + sessionId, null).data().get("agent_id").asText());
    }

    @Test
    void theRuleIsOnePublicPlace() {
        assertTrue(Ids.isValid("agent_001"));
        assertTrue(Ids.isValid("A-z_09"));
        assertTrue(Ids.isValid("a".repeat(64)));
        for (String bad : new String[] {null, "", "a".repeat(65), "a|b", "x/y", "a.b", "a b", "ü", "a\nb"}) {
            assertTrue(!Ids.isValid(bad), String.valueOf(bad));
        }
        assertEquals("agent_id must be 1 to 64 characters of A-Z, a-z, 0-9, '_' or '-' (no dots, slashes, '|' or "
                + "spaces), was 'a|b'", Ids.problem("agent_id", "a|b"));
    }
}
