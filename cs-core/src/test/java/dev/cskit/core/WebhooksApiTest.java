/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.cskit.api.AgentAccount;
import dev.cskit.api.CsConfig;
import dev.cskit.api.PluginContext;
import dev.cskit.api.http.HttpRequest;
import dev.cskit.api.session.Session;
import dev.cskit.api.session.SessionStore;
import dev.cskit.api.webhook.WebhookEndpoint;
import dev.cskit.api.webhook.WebhookEventType;
import dev.cskit.api.webhook.WebhookSettings;
import dev.cskit.core.http.RouteTable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook admin API and the plugin's wiring, against a receiver on loopback whose answer the test sets:
 * failed deliveries are listed with their last error and can be redelivered, dead letters too; agent state changes
 * are sent; a store without an outbox refuses webhooks.
 */
class WebhooksApiTest {

    static final String ADMIN = "admin-token-0123456789";
    static final String P = "/customer-service";

    @TempDir
    Path dataDir;

    HttpServer receiver;
    final AtomicInteger answer = new AtomicInteger(500);
    final List<JsonNode> received = new CopyOnWriteArrayList<>();
    PluginHarness h;

    @BeforeEach
    void receiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            int status = answer.get();
            if (status == 204) {
                received.add(PluginHarness.JSON.readTree(new String(body, StandardCharsets.UTF_8)));
            }
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        receiver.start();
    }

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
        receiver.stop(0);
    }

    WebhookEndpoint endpoint(WebhookEventType... events) {
        return new WebhookEndpoint(URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook"),
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", Set.of(events));
    }

    void start(WebhookEndpoint endpoint, Duration maxAge) throws Exception {
        CsConfig cfg = CsConfig.newBuilder().dataDir(dataDir).adminToken(ADMIN)
                .agents(List.of(new AgentAccount("agent_001", "Agent Wang", "")))
                .webhooks(List.of(endpoint))
                .webhookSettings(new WebhookSettings(maxAge, Duration.ofSeconds(5), 2, Duration.ofSeconds(60)))
                .build();
        h = new PluginHarness(cfg, CustomerService::new);
    }

    /** Waits (bounded, on the condition) for the real HTTP exchange the test cannot step. */
    static void await(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    /** {@code GET /webhooks/deliveries} as an admin, with a query parameter (or none). */
    PluginHarness.Resp list(String param, String value) {
        HttpRequest.Builder b = HttpRequest.newBuilder("GET", P + "/webhooks/deliveries").header("Host", "cs.test")
                .header("Authorization", "Bearer " + ADMIN)
                .remoteAddress(new InetSocketAddress("127.0.0.1", 40000));
        if (param != null) {
            b.queryParam(param, value);
        }
        return h.raw(b.build());
    }

    JsonNode deliveries(String status) {
        PluginHarness.Resp r = list(status == null ? null : "status", status);
        assertEquals(200, r.status(), r.body()::toString);
        return r.data().get("deliveries");
    }

    @Test
    void aFailedDeliveryIsListedWithItsErrorAndRedeliveredOnDemand() throws Exception {
        start(endpoint(WebhookEventType.SESSION_CREATED), Duration.ofHours(1));
        String id = h.admin("POST", P + "/sessions", "{\"title\":\"t\",\"customer_name\":\"c\"}").data()
                .get("id").asText();
        await("a failed attempt", () -> deliveries("failed").size() == 1);
        JsonNode d = deliveries("failed").get(0);
        assertEquals("session.created", d.get("type").asText());
        assertEquals(id, d.get("session_id").asText());
        assertEquals("HTTP 500", d.get("last_error").asText());
        assertEquals(1, d.get("attempts").asInt());
        assertEquals("retrying", d.get("state").asText());
        assertTrue(d.get("next_attempt_at").isTextual());
        assertEquals(0, deliveries("dead").size());

        answer.set(204);
        PluginHarness.Resp r = h.admin("POST", P + "/webhooks/deliveries/" + d.get("id").asText() + "/redeliver", null);
        assertEquals(200, r.status(), r.body()::toString);
        await("the redelivery", () -> received.size() == 1);
        assertEquals(d.get("event_id").asText(), received.get(0).get("id").asText());
        await("the delivery is forgotten", () -> deliveries(null).size() == 0);
        assertEquals(404, h.admin("POST", P + "/webhooks/deliveries/" + d.get("id").asText() + "/redeliver", null)
                .status());
    }

    @Test
    void aDeliveryFailingPastMaxAgeIsDeadAndCanBeRedelivered() throws Exception {
        start(endpoint(WebhookEventType.SESSION_CREATED), Duration.ofSeconds(30));
        h.admin("POST", P + "/sessions", "{\"title\":\"t\",\"customer_name\":\"c\"}");
        await("a failed attempt", () -> deliveries("failed").size() == 1);
        h.clock.advance(Duration.ofSeconds(31));
        h.scheduler.runDue(); // the retry, past max_age: its failure dead-letters it
        await("a dead letter", () -> deliveries("dead").size() == 1);
        assertEquals(0, deliveries("failed").size());
        assertEquals(0, deliveries("pending").size());
        JsonNode dead = deliveries("dead").get(0);
        assertEquals(2, dead.get("attempts").asInt());

        answer.set(204);
        h.admin("POST", P + "/webhooks/deliveries/" + dead.get("id").asText() + "/redeliver", null);
        await("the redelivery", () -> received.size() == 1);
        assertEquals("session.created", received.get(0).get("type").asText());
    }

    @Test
    void deadLettersSurviveARestartAndPendingOnesAreSentAfterIt() throws Exception {
        start(endpoint(WebhookEventType.SESSION_CREATED, WebhookEventType.SESSION_ASSIGNED), Duration.ofSeconds(30));
        String id = h.admin("POST", P + "/sessions", "{\"title\":\"t\",\"customer_name\":\"c\"}").data()
                .get("id").asText();
        await("a failed attempt", () -> deliveries("failed").size() == 1);
        h.clock.advance(Duration.ofSeconds(31));
        h.scheduler.runDue();
        await("a dead letter", () -> deliveries("dead").size() == 1);
        h.admin("POST", P + "/sessions/" + id + "/assign", "{\"agent_id\":\"agent_001\",\"agent_name\":\"Agent Wang\"}");
        await("the assignment's failed attempt", () -> deliveries("failed").size() == 1);

        answer.set(204);
        h.restart();
        await("the pending one, sent after the restart", () -> received.size() == 1);
        assertEquals("session.assigned", received.get(0).get("type").asText());
        assertEquals(1, deliveries("dead").size(), "the dead letter is kept, not sent");
    }

    @Test
    void badQueriesAndIdsAreRefusedAndTheApiIsForAdmins() throws Exception {
        start(endpoint(), Duration.ofHours(1));
        assertEquals(400, list("status", "lost").status());
        assertEquals(400, list("limit", "0").status());
        assertEquals(400, list("limit", "many").status());
        assertEquals(400, h.admin("POST", P + "/webhooks/deliveries/bad..id/redeliver", null).status());
        assertEquals(404, h.admin("POST", P + "/webhooks/deliveries/dlv_none/redeliver", null).status());
        assertEquals(401, h.call("GET", P + "/webhooks/deliveries", null, null).status());
        assertEquals(401, h.call("POST", P + "/webhooks/deliveries/dlv_none/redeliver", null, null).status());
    }

    @Test
    void agentStateChangesAreSent() throws Exception {
        answer.set(204);
        start(endpoint(WebhookEventType.AGENT_STATE_CHANGED), Duration.ofHours(1));
        h.admin("POST", P + "/agents/agent_001/status", "{\"status\":\"ready\"}");
        await("agent.state_changed", () -> received.size() == 1);
        JsonNode data = received.get(0).get("data");
        assertEquals("agent.state_changed", received.get(0).get("type").asText());
        assertEquals("agent_001", data.get("agent_id").asText());
        assertEquals("ready", data.get("state").asText());
        assertEquals("offline", data.get("previous_state").asText());
        assertTrue(data.has("session_id") && data.get("session_id").isNull());
    }

    @Test
    void aStoreWithoutAnOutboxRefusesWebhooks() {
        SessionStore plain = new SessionStore() {
            @Override
            public Collection<Session> load() {
                return List.of();
            }

            @Override
            public void put(Session session) {
            }

            @Override
            public void close() {
            }
        };
        CsConfig cfg = CsConfig.newBuilder().dataDir(dataDir).webhooks(List.of(endpoint())).build();
        CustomerService plugin = new CustomerService(plain, Duration.ofSeconds(5));
        MutableClock clock = new MutableClock();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> plugin.start(PluginContext.newBuilder()
                .rooms(new FakeRoomService(clock)).http(new RouteTable()).scheduler(new ManualScheduler(clock))
                .clock(clock).config(cfg).build()));
        assertTrue(e.getMessage().contains("keeps no outbox"), e.getMessage());
    }
}
