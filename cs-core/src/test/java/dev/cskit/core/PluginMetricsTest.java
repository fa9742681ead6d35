/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cskit.api.AgentAccount;
import dev.cskit.api.CsConfig;
import dev.cskit.api.PluginContext;
import dev.cskit.api.http.HttpRequest;
import dev.cskit.api.http.HttpResponse;
import dev.cskit.api.metrics.Tags;
import dev.cskit.core.agent.lobby.AgentLobby;
import dev.cskit.core.http.RouteTable;
import dev.cskit.core.metrics.RecordingMeters;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin's metrics through the SPI: what a scrape reads while a call goes through its life. */
class PluginMetricsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "admin-token-0123456789";
    private static final String P = "/customer-service";

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final FakeRoomService rooms = new FakeRoomService(clock);
    private final RouteTable http = new RouteTable();
    private final RecordingMeters meters = new RecordingMeters();
    private final CustomerService plugin = new CustomerService();
    private boolean stopped;

    private void start(boolean autoAssign) throws Exception {
        String hash = OpenBSDBCrypt.generate("2b", "secret".toCharArray(), new byte[16], 4);
        CsConfig config = CsConfig.newBuilder().dataDir(dataDir).adminToken(ADMIN).autoAssign(autoAssign)
                .agents(List.of(new AgentAccount("agent_001", "Agent Wang", hash),
                        new AgentAccount("agent_002", "Agent Li", hash)))
                .build();
        plugin.start(PluginContext.newBuilder().rooms(rooms).http(http).scheduler(scheduler).clock(clock)
                .config(config).meters(meters).build());
    }

    @AfterEach
    void stop() {
        if (!stopped) {
            plugin.stop();
        }
        scheduler.shutdownNow();
    }

    private JsonNode admin(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(method, P + path).header("Authorization", "Bearer " + ADMIN);
        if (body != null) {
            b.body(body).header("Content-Type", "application/json");
        }
        HttpResponse r = http.handle(b.build());
        assertEquals(200, r.status(), r.bodyAsString());
        return JSON.readTree(r.bodyAsString()).get("data");
    }

    private void assertSessionGaugesEqualStats() throws Exception {
        JsonNode stats = admin("GET", "/stats", null);
        assertEquals(stats.get("waiting_sessions").asDouble(), meters.value("cskit_sessions", Tags.of("status", "waiting")));
        assertEquals(stats.get("active_sessions").asDouble(), meters.value("cskit_sessions", Tags.of("status", "active")));
        assertEquals(stats.get("ended_sessions").asDouble(), meters.value("cskit_sessions", Tags.of("status", "ended")));
        assertEquals(stats.get("active_sessions").asDouble(), meters.value("cskit_calls_active"));
    }

    /** A Waiting session assigned to agent_001, both parties seated, accepted: returns {id, customer id}. */
    private String[] activeCall() throws Exception {
        JsonNode s = admin("POST", "/sessions", "{\"title\":\"t\",\"customer_name\":\"Ann\"}");
        String id = s.get("id").asText();
        admin("POST", "/sessions/" + id + "/assign", "{\"agent_id\":\"agent_001\",\"agent_name\":\"Agent Wang\"}");
        JsonNode links = admin("GET", "/sessions/" + id + "/links", null);
        String cust = s.get("customer_id").asText();
        String room = "customer-service/" + id;
        assertEquals("joined", rooms.join(room, cust, links.get("customer_token").asText()));
        assertEquals("joined", rooms.join(room, "agent_001", links.get("agent_token").asText()));
        rooms.send(room, "agent_001", "{\"action\":\"accept_call\"}");
        return new String[] {id, cust};
    }

    @Test
    void aCallIsCountedThroughItsLifeAndTheSessionGaugesEqualStats() throws Exception {
        start(false);
        assertSessionGaugesEqualStats();
        assertEquals(0, meters.value("cskit_calls_active"));

        String[] call = activeCall();
        String room = "customer-service/" + call[0];
        assertEquals(1, meters.value("cskit_calls_active"));
        assertEquals(1, meters.value("cskit_session_creations"));
        assertEquals(1, meters.value("cskit_agents", Tags.of("state", "busy")));
        assertSessionGaugesEqualStats();

        rooms.send(room, "agent_001", "{\"action\":\"hold_call\"}");
        assertEquals(1, meters.value("cskit_calls_on_hold"));
        rooms.send(room, "agent_001", "{\"action\":\"resume_call\"}");
        assertEquals(0, meters.value("cskit_calls_on_hold"));

        clock.advance(Duration.ofSeconds(42));
        rooms.send(room, "agent_001", "{\"action\":\"end_call\"}");
        assertEquals(0, meters.value("cskit_calls_active"));
        assertEquals(1, meters.value("cskit_sessions_ended", Tags.of("reason", "agent_hangup")));
        assertEquals(0, meters.value("cskit_sessions_ended", Tags.of("reason", "shutdown")));
        assertEquals(List.of(42.0), meters.observed("cskit_call_duration_seconds"));
        assertSessionGaugesEqualStats();

        String token = admin("GET", "/sessions/" + call[0] + "/links", null).get("customer_token").asText();
        HttpResponse rated = http.handle(HttpRequest.newBuilder("POST", P + "/sessions/" + call[0] + "/rating")
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .body("{\"stars\":4}").build());
        assertEquals(200, rated.status(), rated.bodyAsString());
        assertEquals(List.of(4.0), meters.observed("cskit_rating_stars"));
        assertFalse(meters.observed("cskit_journal_fsync_seconds").isEmpty(), "each journal write is an fsync");
    }

    @Test
    void queueAgentsAndRingsAreReadAsTheyAre() throws Exception {
        start(true);
        String agent = "agent_001";
        String lobby = AgentLobby.AGENT_ROOM.roomIdPrefix() + agent;
        String token = plugin.tokens().issueAgent(agent, 0, clock.instant().plus(Duration.ofHours(1)));
        assertEquals(2, meters.value("cskit_agents", Tags.of("state", "offline")));

        JsonNode s = admin("POST", "/sessions", "{\"title\":\"t\",\"customer_name\":\"Ann\"}");
        clock.advance(Duration.ofSeconds(7));
        assertEquals(1, meters.value("cskit_queue_length"));
        assertEquals(7, meters.value("cskit_queue_longest_wait_seconds"));
        assertEquals(0, meters.value("cskit_rings"));

        assertEquals("joined", rooms.join(lobby, agent, token));
        rooms.send(lobby, agent, "{\"action\":\"agent_ready\"}");
        assertEquals(1, meters.value("cskit_rings"));
        assertEquals(1, meters.value("cskit_agents", Tags.of("state", "ringing")));
        plugin.agents().seated(agent); // what a desk that takes its seat over does: it is shown the ring again
        assertEquals(1, meters.value("cskit_rings"), "a ring shown again is still one ring");

        rooms.send(lobby, agent, "{\"action\":\"reject_incoming\",\"session_id\":\"" + s.get("id").asText() + "\"}");
        assertEquals(1, meters.value("cskit_rings_ended", Tags.of("outcome", "rejected")));
        assertEquals(1, meters.value("cskit_queue_length"), "the rejected call waits for another agent");

        String other = "agent_002";
        String otherLobby = AgentLobby.AGENT_ROOM.roomIdPrefix() + other;
        assertEquals("joined", rooms.join(otherLobby, other,
                plugin.tokens().issueAgent(other, 0, clock.instant().plus(Duration.ofHours(1)))));
        rooms.send(otherLobby, other, "{\"action\":\"agent_ready\"}");
        assertEquals(2, meters.value("cskit_rings"));
        rooms.send(otherLobby, other, "{\"action\":\"accept_incoming\",\"session_id\":\"" + s.get("id").asText()
                + "\",\"media\":\"audio\"}");
        assertEquals(1, meters.value("cskit_rings_ended", Tags.of("outcome", "accepted")));
        assertEquals(0, meters.value("cskit_queue_length"));
        assertEquals(0, meters.value("cskit_queue_longest_wait_seconds"));
        assertEquals(1, meters.value("cskit_calls_active"));
    }

    @Test
    void stopRemovesEveryMeterItRegistered() throws Exception {
        start(false);
        Set<String> names = meters.names();
        assertTrue(names.containsAll(Set.of("cskit_sessions", "cskit_calls_active", "cskit_calls_on_hold",
                "cskit_queue_length", "cskit_queue_longest_wait_seconds", "cskit_agents", "cskit_rings",
                "cskit_rings_ended", "cskit_call_duration_seconds", "cskit_rating_stars",
                "cskit_journal_fsync_seconds", "cskit_session_creations", "cskit_sessions_ended")), names.toString());
        plugin.stop();
        stopped = true;
        assertEquals(Set.of(), meters.names());
    }
}
