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
import dev.cskit.api.health.Readiness;
import dev.cskit.api.http.HttpRequest;
import dev.cskit.api.http.HttpResponse;
import dev.cskit.core.http.RouteTable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A graceful drain through the SPI: new sessions refused, calls in progress let end, readiness down. */
@Timeout(60)
class PluginDrainTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "admin-token-0123456789";
    private static final String P = "/customer-service";

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final FakeRoomService rooms = new FakeRoomService(clock);
    private final RouteTable http = new RouteTable();
    private final CustomerService plugin = new CustomerService();

    @BeforeEach
    void start() throws Exception {
        assertFalse(plugin.readiness().ready(), "not ready before start");
        String hash = OpenBSDBCrypt.generate("2b", "secret".toCharArray(), new byte[16], 4);
        CsConfig config = CsConfig.newBuilder().dataDir(dataDir).adminToken(ADMIN)
                .agents(List.of(new AgentAccount("agent_001", "Agent Wang", hash))).build();
        plugin.start(PluginContext.newBuilder().rooms(rooms).http(http).scheduler(scheduler).clock(clock)
                .config(config).build());
        assertEquals(Readiness.READY, plugin.readiness());
    }

    @AfterEach
    void stop() {
        plugin.stop();
        scheduler.shutdownNow();
        assertFalse(plugin.readiness().ready(), "not ready after stop");
    }

    private HttpResponse post(String path, String body) {
        return http.handle(HttpRequest.newBuilder("POST", P + path).header("Authorization", "Bearer " + ADMIN)
                .header("Content-Type", "application/json").body(body).build());
    }

    private JsonNode data(HttpResponse r) throws Exception {
        assertEquals(200, r.status(), r.bodyAsString());
        return JSON.readTree(r.bodyAsString()).get("data");
    }

    private JsonNode createSession() throws Exception {
        return data(post("/sessions", "{\"title\":\"t\",\"customer_name\":\"Ann\"}"));
    }

    /** An Active call: returns {session id, customer id}. */
    private String[] activeCall() throws Exception {
        JsonNode s = createSession();
        String id = s.get("id").asText();
        data(post("/sessions/" + id + "/assign", "{\"agent_id\":\"agent_001\",\"agent_name\":\"Agent Wang\"}"));
        JsonNode links = data(http.handle(HttpRequest.newBuilder("GET", P + "/sessions/" + id + "/links")
                .header("Authorization", "Bearer " + ADMIN).build()));
        String cust = s.get("customer_id").asText();
        assertEquals("joined", rooms.join(room(id), cust, links.get("customer_token").asText()));
        assertEquals("joined", rooms.join(room(id), "agent_001", links.get("agent_token").asText()));
        rooms.send(room(id), "agent_001", "{\"action\":\"accept_call\"}");
        assertEquals("Active", plugin.sessions().require(id).status().wireName());
        return new String[] {id, cust};
    }

    private static String room(String id) {
        return "customer-service/" + id;
    }

    private void assertRefusesNewSessions() throws Exception {
        HttpResponse r = post("/sessions", "{\"title\":\"t\",\"customer_name\":\"Bob\"}");
        assertEquals(503, r.status(), r.bodyAsString());
        assertTrue(JSON.readTree(r.bodyAsString()).get("message").asText().startsWith("draining"), r.bodyAsString());
    }

    @Test
    void drainRefusesNewSessionsAndReturnsWhenTheLastCallEndsByItself() throws Exception {
        String[] call = activeCall();
        long sessionsBefore = plugin.sessions().stats().totalSessions();
        CompletableFuture<Void> drained = CompletableFuture.runAsync(() -> plugin.drain(Duration.ofMinutes(5)));
        while (plugin.readiness().ready()) {
            Thread.onSpinWait(); // the drain starts on another thread: readiness goes down first
        }
        assertEquals("draining: the server is shutting down", plugin.readiness().reason());
        assertRefusesNewSessions();
        assertEquals(sessionsBefore, plugin.sessions().stats().totalSessions(), "a refused create stores nothing");
        assertFalse(drained.isDone(), "a call is in progress: the drain waits for it");

        rooms.send(room(call[0]), "agent_001", "{\"action\":\"end_call\"}");
        drained.get(10, TimeUnit.SECONDS);
        List<JsonNode> ended = rooms.received(call[1], "call_ended");
        assertEquals(1, ended.size());
        assertEquals("agent_hangup", ended.get(0).get("reason").asText(), "the call ended by itself");
    }

    @Test
    void zeroGraceReturnsAtOnceAndStopEndsTheCallWithReasonShutdown() throws Exception {
        String[] call = activeCall();
        plugin.drain(Duration.ZERO);
        assertEquals("Active", plugin.sessions().require(call[0]).status().wireName(), "drain ends nothing itself");
        assertRefusesNewSessions();
        plugin.stop();
        for (String user : List.of(call[1], "agent_001")) {
            List<JsonNode> ended = rooms.received(user, "call_ended");
            assertEquals(1, ended.size(), user + " got " + rooms.inbox(user));
            assertEquals("shutdown", ended.get(0).get("reason").asText());
        }
    }

    @Test
    void aGraceThatRunsOutLeavesTheCallForStop() throws Exception {
        String[] call = activeCall();
        plugin.drain(Duration.ofMillis(200));
        assertEquals("Active", plugin.sessions().require(call[0]).status().wireName());
        assertTrue(rooms.received(call[1], "call_ended").isEmpty());
    }

    @Test
    void withNoCallInProgressDrainReturnsAtOnceWhateverTheGrace() throws Exception {
        createSession(); // Waiting: not a call in progress, and it stays waiting for the restart
        plugin.drain(Duration.ofDays(1));
        assertRefusesNewSessions();
        assertEquals(1, plugin.sessions().stats().waitingSessions());
    }
}
