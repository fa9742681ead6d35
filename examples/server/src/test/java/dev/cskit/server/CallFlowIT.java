/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import static dev.cskit.server.InProcessServer.AGENT1;
import static dev.cskit.server.InProcessServer.AGENT1_NAME;
import static dev.cskit.server.InProcessServer.AGENT2;
import static dev.cskit.server.InProcessServer.AGENT2_NAME;
import static dev.cskit.server.InProcessServer.AGENT2_PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance 1: a whole call over real sockets, HTTP with the JDK's HttpClient and the room WebSocket with
 * java.net.http.WebSocket, against the server as Main assembles it.
 */
@Timeout(60)
class CallFlowIT {

    @TempDir
    Path dataDir;

    InProcessServer server;
    Http http;
    final List<RoomClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = InProcessServer.start(dataDir);
        http = server.http;
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

    static List<String> userIds(JsonNode joined) {
        List<String> ids = new ArrayList<>();
        joined.path("users").forEach(u -> ids.add(u.path("user_id").asText()));
        return ids;
    }

    @Test
    void wholeCallWithChatHoldTransferEndAndRating() {
        // --- create, assign, links
        JsonNode created = http.createSession("After-sales inquiry", "John");
        String id = created.path("id").asText();
        assertEquals("Waiting", created.path("status").asText());
        JsonNode assigned = http.assign(id, AGENT1, AGENT1_NAME);
        assertEquals(AGENT1, assigned.path("agent_id").asText());
        assertEquals(AGENT1_NAME, assigned.path("agent_name").asText());
        JsonNode links = http.links(id);
        String customerId = links.path("customer_id").asText();
        String customerToken = links.path("customer_token").asText();
        String agentToken = links.path("agent_token").asText();
        assertEquals(created.path("customer_id").asText(), customerId);
        assertEquals(AGENT1, links.path("agent_id").asText());
        assertTrue(links.path("customer_url").asText().contains("token="), links::toString);

        // --- both parties join with their tokens
        RoomClient customer = room("customer");
        JsonNode joined = customer.join(id, customerId, customerToken);
        assertEquals("joined", joined.path("action").asText(), joined::toString);
        assertEquals(List.of(customerId), userIds(joined));
        assertEquals("customer", joined.path("users").get(0).path("role").asText());
        assertEquals("John", joined.path("users").get(0).path("display_name").asText());

        RoomClient agent1 = room("agent1");
        joined = agent1.join(id, AGENT1, agentToken);
        assertEquals("joined", joined.path("action").asText(), joined::toString);
        assertEquals(List.of(customerId, AGENT1), userIds(joined));
        JsonNode announced = customer.expect("user_joined");
        assertEquals(AGENT1, announced.path("user_id").asText());
        assertEquals(AGENT1, announced.path("user").path("user_id").asText());
        assertEquals("agent", announced.path("user").path("role").asText());

        // --- chat both ways; the sender gets no echo
        customer.send(Http.obj().put("action", "chat").put("text", "my order has not arrived"));
        JsonNode chat = agent1.expect("chat");
        assertEquals("my order has not arrived", chat.path("text").asText());
        assertEquals(customerId, chat.path("user_id").asText());
        agent1.send(Http.obj().put("action", "chat").put("text", "let me check"));
        chat = customer.expect("chat");
        assertEquals("let me check", chat.path("text").asText());
        assertEquals(AGENT1, chat.path("user_id").asText());
        assertNoAction(customer.sync(), "chat");
        assertNoAction(agent1.sync(), "chat");

        // --- only the agent can accept; then both are told and the session is Active
        customer.action("accept_call", id, customerId);
        customer.expectError("forbidden");
        assertEquals("Waiting", http.session(id).path("status").asText());
        agent1.action("accept_call", id, AGENT1);
        JsonNode accepted = customer.expect("call_accepted");
        assertEquals(AGENT1, accepted.path("agent_id").asText());
        agent1.expect("call_accepted");
        JsonNode active = http.session(id);
        assertEquals("Active", active.path("status").asText());
        assertFalse(active.path("accepted_at").isNull());
        assertStats(1, 1, 0, 0);

        // --- hold and resume
        agent1.action("hold_call", id, AGENT1);
        customer.expect("call_held");
        agent1.expect("call_held");
        assertTrue(http.session(id).path("on_hold").asBoolean());
        agent1.action("resume_call", id, AGENT1);
        customer.expect("call_resumed");
        agent1.expect("call_resumed");
        assertFalse(http.session(id).path("on_hold").asBoolean());
        assertEquals("Active", http.session(id).path("status").asText());

        // --- transfer to the second agent, who logs in with a password
        http.post("/customer-service/agents/login",
                Http.obj().put("agent_id", AGENT2).put("password", "wrong").toString(), null)
                .assertError(401, "wrong password");
        String agent2Token = http.login(AGENT2, AGENT2_PASSWORD);
        agent1.send(Http.obj().put("action", "transfer_call").put("room_id", "customer-service/" + id)
                .put("user_id", AGENT1).put("to_agent_id", AGENT2).put("to_agent_name", AGENT2_NAME));
        JsonNode transferred = agent1.expect("call_transferred");
        assertEquals(AGENT2, transferred.path("agent_id").asText());
        assertEquals(AGENT2_NAME, transferred.path("agent_name").asText());
        transferred = customer.expect("call_transferred");
        assertEquals(AGENT2, transferred.path("agent_id").asText());
        JsonNode left = customer.expect("user_left");
        assertEquals(AGENT1, left.path("user_id").asText());
        JsonNode afterTransfer = http.session(id);
        assertEquals(AGENT2, afterTransfer.path("agent_id").asText());
        assertEquals(AGENT2_NAME, afterTransfer.path("agent_name").asText());
        assertEquals("Active", afterTransfer.path("status").asText());
        // The first agent lost the seat: its connection is up, but it is no longer in the room ...
        agent1.send(Http.obj().put("action", "chat").put("text", "still here?"));
        agent1.expectError("not_joined");
        // ... and its link (issued for agent_001) no longer admits it.
        JsonNode rejoin = agent1.join(id, AGENT1, agentToken);
        assertEquals("forbidden", rejoin.path("code").asText(), rejoin::toString);

        RoomClient agent2 = room("agent2");
        joined = agent2.join(id, AGENT2, agent2Token);
        assertEquals("joined", joined.path("action").asText(), joined::toString);
        assertEquals(List.of(customerId, AGENT2), userIds(joined));
        assertEquals(AGENT2, customer.expect("user_joined").path("user").path("user_id").asText());
        agent2.send(Http.obj().put("action", "chat").put("text", "Li here"));
        assertEquals("Li here", customer.expect("chat").path("text").asText());
        customer.send(Http.obj().put("action", "chat").put("text", "thanks"));
        assertEquals("thanks", agent2.expect("chat").path("text").asText());
        assertNoAction(agent1.sync(), "chat");

        // --- the old agent can no longer act on the call
        agent1.action("end_call", id, AGENT1);
        agent1.expectError("not_joined");
        assertEquals("Active", http.session(id).path("status").asText());

        // --- end: both get call_ended with the reason and the duration
        agent2.action("end_call", id, AGENT2);
        JsonNode endedC = customer.expect("call_ended");
        JsonNode endedA = agent2.expect("call_ended");
        assertEquals("agent_hangup", endedC.path("reason").asText());
        assertEquals(endedC.path("duration"), endedA.path("duration"));
        assertTrue(endedC.path("duration").isIntegralNumber(), endedC::toString);
        JsonNode ended = http.session(id);
        assertEquals("Ended", ended.path("status").asText());
        assertEquals("agent_hangup", ended.path("end_reason").asText());
        assertEquals(endedC.path("duration").asLong(), ended.path("duration").asLong());
        long expected = Instant.parse(ended.path("ended_at").asText()).getEpochSecond()
                - Instant.parse(ended.path("accepted_at").asText()).getEpochSecond();
        assertTrue(Math.abs(expected - ended.path("duration").asLong()) <= 1,
                () -> "duration " + ended.path("duration") + " vs accepted_at..ended_at " + expected);
        assertStats(1, 0, 0, 1);

        // --- rating: the agent may not, the customer may; GET /sessions/{id} shows it
        http.post("/customer-service/sessions/" + id + "/rating",
                Http.obj().put("stars", 1).toString(), agent2Token).assertError(403, "");
        JsonNode rated = http.post("/customer-service/sessions/" + id + "/rating",
                Http.obj().put("stars", 5).put("comment", "quick and kind").toString(), customerToken).data();
        assertEquals(5, rated.path("rating").path("stars").asInt());
        JsonNode byAdmin = http.session(id);
        assertEquals(5, byAdmin.path("rating").path("stars").asInt());
        assertEquals("quick and kind", byAdmin.path("rating").path("comment").asText());
        JsonNode byCustomer = http.get("/customer-service/sessions/" + id, customerToken).data();
        assertEquals(byAdmin.path("rating"), byCustomer.path("rating"));
        JsonNode stats = http.stats();
        assertEquals(1, stats.path("rated_sessions").asInt(), stats::toString);
        assertEquals(5.0, stats.path("average_rating").asDouble(), 1e-9, stats::toString);
        // A second rating is refused and the first stays.
        http.post("/customer-service/sessions/" + id + "/rating",
                Http.obj().put("stars", 1).toString(), customerToken).assertError(409, "");
        assertEquals(byAdmin.path("rating"), http.session(id).path("rating"));
    }

    @Test
    void refusesThirdJoinerAndStrangers() {
        String id = http.createSession("Refund", "Mary").path("id").asText();
        http.assign(id, AGENT1, AGENT1_NAME);
        JsonNode links = http.links(id);
        String customerId = links.path("customer_id").asText();
        RoomClient customer = room("customer");
        assertEquals("joined", customer.join(id, customerId, links.path("customer_token").asText())
                .path("action").asText());
        RoomClient agent = room("agent");
        assertEquals("joined", agent.join(id, AGENT1, links.path("agent_token").asText()).path("action").asText());
        customer.expect("user_joined");

        // A valid token of someone who is not a party: agent_002 is logged in but not assigned.
        String agent2Token = http.login(AGENT2, AGENT2_PASSWORD);
        RoomClient third = room("third");
        JsonNode refused = third.join(id, AGENT2, agent2Token);
        assertEquals("error", refused.path("action").asText(), refused::toString);
        assertEquals("forbidden", refused.path("code").asText(), refused::toString);
        // The customer's valid token, claiming another user id.
        refused = third.join(id, "intruder", links.path("customer_token").asText());
        assertEquals("forbidden", refused.path("code").asText(), refused::toString);
        // A stranger without a token, and with a forged one.
        refused = third.join(id, "stranger", null);
        assertEquals("unauthorized", refused.path("code").asText(), refused::toString);
        refused = third.join(id, "stranger", "not-a-token");
        assertEquals("unauthorized", refused.path("code").asText(), refused::toString);
        // The connection stays up, and neither party heard of any of it.
        assertTrue(third.sync().isEmpty());
        assertNoAction(customer.sync(), "user_joined");
        assertNoAction(agent.sync(), "user_joined");

        JsonNode rooms = http.get("/customer-service/rooms").data().path("rooms");
        assertEquals(1, rooms.size(), rooms::toString);
        assertEquals(2, rooms.get(0).path("participants").size(), rooms::toString);
    }

    @Test
    void deletingAnActiveCallEndsItForBothParties() {
        String id = http.createSession("Closing", "Ivy").path("id").asText();
        http.assign(id, AGENT1, AGENT1_NAME);
        JsonNode links = http.links(id);
        RoomClient customer = room("customer");
        customer.join(id, links.path("customer_id").asText(), links.path("customer_token").asText());
        RoomClient agent = room("agent");
        agent.join(id, AGENT1, links.path("agent_token").asText());
        agent.action("accept_call", id, AGENT1);
        customer.expect("call_accepted");
        agent.expect("call_accepted");

        JsonNode reply = http.delete("/customer-service/sessions/" + id).body();
        assertEquals(0, reply.path("code").asInt(), reply::toString);
        assertEquals("session closed", reply.path("message").asText(), reply::toString);
        assertEquals("closed", customer.expect("call_ended").path("reason").asText());
        assertEquals("closed", agent.expect("call_ended").path("reason").asText());
        assertEquals("Ended", http.session(id).path("status").asText());
        assertEquals("closed", http.session(id).path("end_reason").asText());
        assertStats(1, 0, 0, 1);
        // The room is closed: nobody is seated any more, and a join is refused.
        customer.send(Http.obj().put("action", "chat").put("text", "hello?"));
        customer.expectError("not_joined");
        JsonNode again = customer.join(id, links.path("customer_id").asText(), links.path("customer_token").asText());
        assertEquals("session_ended", again.path("code").asText(), again::toString);
    }

    @Test
    void sameUserJoiningAgainTakesOverTheSeatInsteadOfAThird() {
        String id = http.createSession("Reconnect", "Max").path("id").asText();
        http.assign(id, AGENT1, AGENT1_NAME);
        JsonNode links = http.links(id);
        String customerId = links.path("customer_id").asText();
        RoomClient customer = room("customer");
        customer.join(id, customerId, links.path("customer_token").asText());
        RoomClient agent = room("agent");
        agent.join(id, AGENT1, links.path("agent_token").asText());
        customer.expect("user_joined");

        // A third connection with the customer's valid token: a reconnect, not a third seat.
        RoomClient again = room("customer-again");
        JsonNode joined = again.join(id, customerId, links.path("customer_token").asText());
        assertEquals("joined", joined.path("action").asText(), joined::toString);
        assertEquals(2, joined.path("users").size(), joined::toString);
        customer.expectError("replaced");
        assertEquals(customerId, agent.expect("user_joined").path("user").path("user_id").asText());
        // The old connection lost its seat; the new one carries the chat.
        customer.send(Http.obj().put("action", "chat").put("text", "old"));
        customer.expectError("not_joined");
        again.send(Http.obj().put("action", "chat").put("text", "new"));
        assertEquals("new", agent.expect("chat").path("text").asText());
        JsonNode rooms = http.get("/customer-service/rooms").data().path("rooms");
        assertEquals(2, rooms.get(0).path("participants").size(), rooms::toString);
    }

    void assertStats(int total, int active, int waiting, int ended) {
        JsonNode s = http.stats();
        assertEquals(total, s.path("total_sessions").asInt(), s::toString);
        assertEquals(active, s.path("active_sessions").asInt(), s::toString);
        assertEquals(waiting, s.path("waiting_sessions").asInt(), s::toString);
        assertEquals(ended, s.path("ended_sessions").asInt(), s::toString);
    }

    static void assertNoAction(List<JsonNode> frames, String action) {
        for (JsonNode f : frames) {
            assertFalse(action.equals(f.path("action").asText()), () -> "unexpected " + f);
        }
    }
}
