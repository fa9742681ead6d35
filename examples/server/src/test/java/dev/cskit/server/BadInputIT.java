/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import static dev.cskit.server.InProcessServer.AGENT1;
import static dev.cskit.server.InProcessServer.AGENT1_NAME;
import static dev.cskit.server.InProcessServer.AGENT2;
import static dev.cskit.server.InProcessServer.AGENT2_PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cskit.core.auth.LinkRole;
import dev.cskit.core.auth.TokenService;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance 2: bad input over real sockets gets its status, a non-zero code and a message that says what is
 * wrong, and changes nothing stored (every case compares all sessions and the stats before and after). On
 * the room socket a bad frame gets an {@code error} frame and the connection stays up (a ping still gets
 * its pong).
 *
 * <p>Fixture: session {@code waiting} (assigned to agent_001, Waiting), session {@code active} (accepted,
 * both parties in the room) and session {@code ended} (ended and rated).
 */
@Timeout(60)
class BadInputIT {

    @TempDir
    Path dataDir;

    InProcessServer server;
    Http http;
    final List<RoomClient> clients = new ArrayList<>();

    String waiting;
    String active;
    String ended;
    JsonNode activeLinks;
    JsonNode waitingLinks;
    JsonNode endedLinks;
    RoomClient customer;
    RoomClient agent;

    @BeforeEach
    void start() throws Exception {
        server = InProcessServer.start(dataDir);
        http = server.http;

        waiting = http.createSession("Waiting one", "Ann").path("id").asText();
        http.assign(waiting, AGENT1, AGENT1_NAME);
        waitingLinks = http.links(waiting);

        ended = http.createSession("Ended one", "Bob").path("id").asText();
        http.assign(ended, AGENT1, AGENT1_NAME);
        endedLinks = http.links(ended);
        assertEquals(200, http.delete("/customer-service/sessions/" + ended).status());
        http.post("/customer-service/sessions/" + ended + "/rating", Http.obj().put("stars", 4).toString(),
                endedLinks.path("customer_token").asText()).data();

        active = http.createSession("Active one", "Carl").path("id").asText();
        http.assign(active, AGENT1, AGENT1_NAME);
        activeLinks = http.links(active);
        customer = room("customer");
        assertEquals("joined", customer.join(active, activeLinks.path("customer_id").asText(),
                activeLinks.path("customer_token").asText()).path("action").asText());
        agent = room("agent");
        assertEquals("joined", agent.join(active, AGENT1, activeLinks.path("agent_token").asText())
                .path("action").asText());
        agent.action("accept_call", active, AGENT1);
        customer.expect("call_accepted");
        agent.expect("call_accepted");
    }

    @AfterEach
    void stop() {
        clients.forEach(RoomClient::close);
        if (server != null) {
            server.close();
        }
    }

    RoomClient room(String name) {
        RoomClient c = server.room(name);
        clients.add(c);
        return c;
    }

    /** Every session (without the moving {@code duration} of active calls) and the stats. */
    JsonNode snapshot() {
        JsonNode list = http.get("/customer-service/sessions?page_size=100").data();
        ArrayNode sessions = (ArrayNode) list.get("sessions").deepCopy();
        sessions.forEach(s -> ((ObjectNode) s).remove("duration"));
        ObjectNode stats = (ObjectNode) http.stats().deepCopy();
        stats.remove("average_duration");
        return Http.obj().put("total", list.path("total").asInt()).<ObjectNode>set("sessions", sessions)
                .set("stats", stats);
    }

    String sessions(String id) {
        return "/customer-service/sessions/" + id;
    }

    @Test
    void malformedMissingAndMistypedBodiesAreRefusedWith400() {
        JsonNode before = snapshot();
        String create = "/customer-service/sessions";
        http.post(create, "{\"title\": \"x\", \"customer_name\": ").assertError(400, "malformed JSON");
        http.post(create, "not json at all").assertError(400, "malformed JSON");
        http.post(create, "[\"title\", \"customer_name\"]").assertError(400, "JSON object");
        http.post(create, "").assertError(400, "empty");
        http.post(create, "{\"title\":\"a\",\"customer_name\":\"b\"} {}").assertError(400, "malformed JSON");
        http.post(create, "{\"title\":\"a\",\"title\":\"b\",\"customer_name\":\"c\"}").assertError(400, "title");
        http.post(create, "{\"title\":\"After-sales\"}").assertError(400, "customer_name");
        http.post(create, "{\"customer_name\":\"John\"}").assertError(400, "title");
        http.post(create, "{\"title\":5,\"customer_name\":\"John\"}").assertError(400, "'title' must be a string");
        http.post(create, "{\"title\":\"t\",\"customer_name\":[\"John\"]}").assertError(400, "customer_name");
        http.post(create, "{\"title\":\"  \",\"customer_name\":\"John\"}").assertError(400, "title");
        http.post(create, "{\"title\":\"t\",\"customer_name\":\"John\",\"description\":{}}")
                .assertError(400, "description");

        http.post(sessions(waiting) + "/assign", "{\"agent_name\":\"X\"}").assertError(400, "agent_id");
        http.post(sessions(waiting) + "/assign", "{\"agent_id\":7,\"agent_name\":\"X\"}").assertError(400, "agent_id");
        http.post(sessions(waiting) + "/assign", "{\"agent_id\":\"nobody\"}").assertError(400, "agent_name");
        http.post(sessions(waiting) + "/assign", "{oops").assertError(400, "malformed JSON");

        String customerToken = endedLinks.path("customer_token").asText();
        http.post(sessions(ended) + "/rating", "{\"stars\":\"five\"}", customerToken).assertError(400, "stars");
        http.post(sessions(ended) + "/rating", "{\"stars\":4.5}", customerToken).assertError(400, "stars");
        http.post(sessions(ended) + "/rating", "{\"comment\":\"no stars\"}", customerToken).assertError(400, "stars");

        http.post("/customer-service/agents/login", "{\"agent_id\":\"agent_002\"}", null).assertError(400, "password");
        http.post("/customer-service/agents/login", "{\"agent_id\":2,\"password\":\"x\"}", null)
                .assertError(400, "agent_id");
        http.get("/customer-service/sessions?page=zero").assertError(400, "page");
        http.get("/customer-service/sessions?status=Sleeping").assertError(400, "status");
        assertEquals(before, snapshot());
    }

    @Test
    void oversizedBodyIsRefusedWith413() {
        JsonNode before = snapshot();
        String big = "{\"title\":\"" + "x".repeat(70 * 1024) + "\",\"customer_name\":\"John\"}";
        http.post("/customer-service/sessions", big).assertError(413, "exceeds");
        // The server is still there and nothing was created.
        assertEquals(before, snapshot());
    }

    @Test
    void unknownSessionIs404() {
        JsonNode before = snapshot();
        String ghost = "cs_doesnotexist";
        http.get(sessions(ghost)).assertError(404, ghost);
        http.post(sessions(ghost) + "/assign", "{\"agent_id\":\"agent_001\",\"agent_name\":\"W\"}")
                .assertError(404, ghost);
        http.delete(sessions(ghost)).assertError(404, ghost);
        http.get(sessions(ghost) + "/links").assertError(404, ghost);
        http.post(sessions(ghost) + "/rating", "{\"stars\":5}", waitingLinks.path("customer_token").asText())
                .assertError(404, ghost);
        assertEquals(404, http.get("/customer-service/no-such-route").status());
        assertEquals(before, snapshot());
    }

    @Test
    void wrongStateIs409() {
        JsonNode before = snapshot();
        http.post(sessions(active) + "/assign", "{\"agent_id\":\"agent_002\",\"agent_name\":\"Li\"}")
                .assertError(409, "transfer");
        http.post(sessions(waiting) + "/rating", "{\"stars\":5}", waitingLinks.path("customer_token").asText())
                .assertError(409, "Ended");
        http.delete(sessions(ended)).assertError(409, "");
        assertEquals(before, snapshot());
    }

    @Test
    void wrongExpiredAndOtherSessionTokensAreRefused() {
        JsonNode before = snapshot();
        // The server's own key (the test configured it) signs an already expired customer link.
        TokenService sameKey = new TokenService(InProcessServer.LINK_SECRET.getBytes(StandardCharsets.UTF_8),
                Clock.systemUTC());
        String expired = sameKey.issueLink(ended, LinkRole.CUSTOMER, endedLinks.path("customer_id").asText(),
                Instant.now().minusSeconds(60));
        TokenService otherKey = new TokenService("another-servers-secret-key".getBytes(StandardCharsets.UTF_8),
                Clock.systemUTC());
        String forged = otherKey.issueLink(ended, LinkRole.CUSTOMER, endedLinks.path("customer_id").asText(),
                Instant.now().plusSeconds(3600));
        String otherSession = waitingLinks.path("customer_token").asText();
        String stars = "{\"stars\":1,\"comment\":\"should not be stored\"}";

        http.post(sessions(ended) + "/rating", stars, null).assertError(401, "token");
        http.post(sessions(ended) + "/rating", stars, "garbage").assertError(401, "malformed token");
        http.post(sessions(ended) + "/rating", stars, expired).assertError(401, "expired");
        http.post(sessions(ended) + "/rating", stars, forged).assertError(401, "signature");
        http.post(sessions(ended) + "/rating", stars, otherSession).assertError(403, "another session");
        http.post(sessions(ended) + "/rating", stars, endedLinks.path("agent_token").asText())
                .assertError(403, "customer");

        http.get(sessions(ended), expired).assertError(401, "expired");
        http.get(sessions(ended), forged).assertError(401, "signature");
        http.get(sessions(ended), otherSession).assertError(403, "another session");
        http.get(sessions(ended), null).assertError(401, "");

        // Admin endpoints: no token 401, a wrong one (or a party's) 403.
        http.get("/customer-service/stats", null).assertError(401, "admin");
        http.get("/customer-service/stats", "wrong-admin-token").assertError(403, "admin token");
        http.post("/customer-service/sessions", "{\"title\":\"t\",\"customer_name\":\"c\"}",
                waitingLinks.path("customer_token").asText()).assertError(403, "admin token");
        http.post("/customer-service/agents/login",
                Http.obj().put("agent_id", AGENT2).put("password", AGENT2_PASSWORD + "x").toString(), null)
                .assertError(401, "wrong password");
        assertEquals(before, snapshot());

        // The same tokens at the room door.
        RoomClient c = room("stranger");
        String endedCustomer = endedLinks.path("customer_id").asText();
        String activeCustomer = activeLinks.path("customer_id").asText();
        String activeExpired = sameKey.issueLink(active, LinkRole.CUSTOMER, activeCustomer,
                Instant.now().minusSeconds(1));
        assertEquals("unauthorized", c.join(active, activeCustomer, null).path("code").asText());
        assertEquals("unauthorized", c.join(active, activeCustomer, "").path("code").asText());
        JsonNode r = c.join(active, activeCustomer, activeExpired);
        assertEquals("unauthorized", r.path("code").asText(), r::toString);
        assertTrue(r.path("message").asText().contains("expired"), r::toString);
        r = c.join(active, activeCustomer, sameKey.issueLink(active, LinkRole.CUSTOMER, activeCustomer,
                Instant.now().plusSeconds(60)).replace('.', 'x'));
        assertEquals("unauthorized", r.path("code").asText(), r::toString);
        r = c.join(active, waitingLinks.path("customer_id").asText(), otherSession);
        assertEquals("forbidden", r.path("code").asText(), r::toString);
        r = c.join(ended, endedCustomer, endedLinks.path("customer_token").asText());
        assertEquals("session_ended", r.path("code").asText(), r::toString);
        r = c.join("cs_doesnotexist", "u1", otherSession);
        assertEquals("not_found", r.path("code").asText(), r::toString);
        assertTrue(c.sync().isEmpty());
        CallFlowIT.assertNoAction(customer.sync(), "user_joined");
        assertEquals(before, snapshot());
    }

    @Test
    void badRoomFramesGetErrorsAndTheConnectionStaysUp() {
        JsonNode before = snapshot();
        // Before joining.
        RoomClient c = room("fresh");
        c.send("this is not JSON");
        c.expectError("bad_request");
        c.send("[1,2,3]");
        c.expectError("bad_request");
        c.send("{\"action\": 42}");
        c.expectError("bad_request");
        c.send("{\"no_action\": true}");
        c.expectError("bad_request");
        c.send(Http.obj().put("action", "dance"));
        c.expectError("not_joined");
        c.send(Http.obj().put("action", "chat").put("text", "anyone?"));
        c.expectError("not_joined");
        c.send(Http.obj().put("action", "join").put("user_id", "u"));
        c.expectError("bad_request");
        c.send(Http.obj().put("action", "join").put("room_id", "other-type/x").put("user_id", "u"));
        c.expectError("bad_request");
        assertTrue(c.sync().isEmpty());
        assertFalse(c.isClosed());

        // Seated in an active call.
        String customerId = activeLinks.path("customer_id").asText();
        customer.send("{\"action\":\"chat\",");
        customer.expectError("bad_request");
        customer.send(Http.obj().put("action", "dance").put("room_id", "customer-service/" + active));
        JsonNode unknown = customer.expectError("unknown_action");
        assertTrue(unknown.path("message").asText().contains("dance"), unknown::toString);
        customer.send(Http.obj().put("action", "chat").put("text", 5));
        customer.expectError("bad_request");
        customer.send(Http.obj().put("action", "chat").put("text", ""));
        customer.expectError("bad_request");
        agent.send(Http.obj().put("action", "transfer_call").put("room_id", "customer-service/" + active)
                .put("user_id", AGENT1).put("to_agent_id", 7));
        agent.expectError("bad_request");
        agent.send(Http.obj().put("action", "transfer_call").put("room_id", "customer-service/" + active)
                .put("user_id", AGENT1));
        agent.expectError("bad_request");
        // The customer may not hold, accept, resume or transfer; an accepted call cannot be accepted again.
        customer.action("hold_call", active, customerId);
        customer.expectError("forbidden");
        agent.action("accept_call", active, AGENT1);
        agent.expectError("conflict");
        agent.action("resume_call", active, AGENT1);
        agent.expectError("conflict");
        // The frame's user_id is not trusted: the sender is who joined.
        customer.action("hold_call", active, AGENT1);
        customer.expectError("forbidden");

        CallFlowIT.assertNoAction(customer.sync(), "call_held");
        CallFlowIT.assertNoAction(agent.sync(), "call_held");
        assertFalse(customer.isClosed());
        assertFalse(agent.isClosed());
        assertEquals(before, snapshot());
    }

    @Test
    void expectContinueWithAnOversizedLengthIsRefusedBeforeTheBodyIsSent() throws Exception {
        JsonNode before = snapshot();
        // A raw socket: the JDK 17 HttpClient waits forever when the answer to Expect is not 100 (JDK-8286171).
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            s.setSoTimeout(10_000);
            String head = "POST /customer-service/sessions HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + InProcessServer.ADMIN_TOKEN + "\r\n"
                    + "Content-Type: application/json\r\n"
                    + "Content-Length: " + (200 * 1024) + "\r\n"
                    + "Expect: 100-continue\r\n\r\n";
            s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
            JsonNode body = Http.JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
            assertTrue(body.path("code").asInt() != 0, answer);
            assertTrue(body.path("message").asText().contains("exceeds"), answer);
        }
        assertEquals(before, snapshot());
    }
}
