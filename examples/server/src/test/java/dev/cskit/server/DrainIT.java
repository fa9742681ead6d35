/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM ({@link Process#destroy()}) to {@code java -jar cs-server.jar} with a call in progress: the shutdown hook
 * drains for {@code server.drain_timeout}. The call goes on for the grace and then gets {@code call_ended} with
 * reason {@code shutdown} (at once with 0); a call that ends by itself during the grace lets the server stop then.
 * Also {@code /metrics} access over real HTTP with an admin token set.
 */
@Timeout(300)
class DrainIT {

    static final String METRICS_TOKEN = "scrape-token-0123456789";

    @TempDir
    Path dir;

    /** The shaded jar, built in the package phase before the integration tests. */
    static Path jar() {
        return Path.of(System.getProperty("basedir", "."), "target", "cs-server.jar").toAbsolutePath();
    }

    private ChildServer start(int drainSeconds) throws Exception {
        Path config = dir.resolve("cskit-" + drainSeconds + ".yaml");
        Files.writeString(config, """
                server: { drain_timeout: %d, metrics_token: %s, public_ip: 127.0.0.1 }
                customer_service:
                  admin_token: %s
                  link_secret: %s
                  agents: [ { id: %s, name: %s, password_hash: '%s' } ]
                """.formatted(drainSeconds, METRICS_TOKEN, InProcessServer.ADMIN_TOKEN, InProcessServer.LINK_SECRET,
                InProcessServer.AGENT1, InProcessServer.AGENT1_NAME, InProcessServer.bcrypt("pw")));
        return ChildServer.start(List.of(ChildServer.java(), "-Xmx256m", "-jar", jar().toString(), "--config",
                config.toString(), "--port", "0", "--media-port", "0", "--data-dir",
                dir.resolve("data-" + drainSeconds).toString()));
    }

    /** A call accepted over the room WebSocket: the customer's and the agent's sockets. */
    private record Call(String id, RoomClient customer, RoomClient agent) implements AutoCloseable {
        @Override
        public void close() {
            customer.close();
            agent.close();
        }
    }

    private static Call activeCall(ChildServer child, Http http) {
        JsonNode s = http.createSession("Drain", "Ann");
        String id = s.path("id").asText();
        http.assign(id, InProcessServer.AGENT1, InProcessServer.AGENT1_NAME);
        JsonNode links = http.links(id);
        RoomClient customer = RoomClient.connect("customer", child.port());
        RoomClient agent = RoomClient.connect("agent", child.port());
        assertEquals("joined", customer.join(id, s.path("customer_id").asText(), links.path("customer_token").asText())
                .path("action").asText());
        assertEquals("joined", agent.join(id, InProcessServer.AGENT1, links.path("agent_token").asText())
                .path("action").asText());
        agent.action("accept_call", id, InProcessServer.AGENT1);
        customer.expect("call_accepted");
        return new Call(id, customer, agent);
    }

    /** Waits until the drain has begun: /readyz answers 503 "draining". */
    private static void awaitDraining(ChildServer child, Http http) {
        while (true) {
            assertTrue(child.isAlive(), () -> "the server stopped before it was seen draining:\n" + child.output());
            Http.Reply r = http.get("/readyz");
            if (r.status() == 503) {
                r.assertError(503, "not ready: draining");
                return;
            }
        }
    }

    private static Http.Reply metrics(Http http, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(http.base + "/metrics")).timeout(Http.TIMEOUT);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.GET());
    }

    @Test
    void sigtermLetsTheCallGoOnForTheGraceThenEndsItWithReasonShutdown() throws Exception {
        int grace = 6;
        try (ChildServer child = start(grace)) {
            Http http = new Http(child.port(), InProcessServer.ADMIN_TOKEN);
            metrics(http, null).assertError(401, "admin_token");
            metrics(http, "wrong-token-0123456789").assertError(403, "wrong");
            assertEquals(200, metrics(http, METRICS_TOKEN).status());
            assertEquals(200, metrics(http, InProcessServer.ADMIN_TOKEN).status());
            assertTrue(metrics(http, METRICS_TOKEN).raw().contains("cskit_calls_active 0.0"));

            try (Call call = activeCall(child, http)) {
                assertTrue(metrics(http, METRICS_TOKEN).raw().contains("cskit_calls_active 1.0"));
                long t0 = System.nanoTime();
                child.terminate();
                awaitDraining(child, http);
                http.post("/customer-service/sessions", Http.obj().put("title", "t").put("customer_name", "Bob")
                        .toString()).assertError(503, "draining");
                assertTrue(call.customer().sync().isEmpty(), "the call goes on while the server drains");

                JsonNode ended = call.customer().expectWithin(Duration.ofSeconds(90), "call_ended");
                Duration after = Duration.ofNanos(System.nanoTime() - t0);
                assertEquals("shutdown", ended.path("reason").asText());
                assertEquals("shutdown", call.agent().expectWithin(Duration.ofSeconds(30), "call_ended")
                        .path("reason").asText());
                assertTrue(after.compareTo(Duration.ofSeconds(grace)) >= 0,
                        "call_ended came " + after.toMillis() + " ms after SIGTERM, before the grace of " + grace + " s");
                assertTrue(child.waitForExit(Duration.ofSeconds(60)), () -> "still running:\n" + child.output());
                assertTrue(child.output().contains("the grace period is over with 1 calls in progress"),
                        child.output());
            }
        }
    }

    @Test
    void sigtermWithZeroGraceEndsTheCallAtOnce() throws Exception {
        try (ChildServer child = start(0)) {
            Http http = new Http(child.port(), InProcessServer.ADMIN_TOKEN);
            try (Call call = activeCall(child, http)) {
                long t0 = System.nanoTime();
                child.terminate();
                JsonNode ended = call.customer().expectWithin(Duration.ofSeconds(60), "call_ended");
                Duration after = Duration.ofNanos(System.nanoTime() - t0);
                assertEquals("shutdown", ended.path("reason").asText());
                assertEquals("shutdown", call.agent().expectWithin(Duration.ofSeconds(30), "call_ended")
                        .path("reason").asText());
                // Nothing waits: far within the 30 s a default drain_timeout would give the call.
                assertTrue(after.compareTo(Duration.ofSeconds(20)) < 0, "call_ended after " + after.toMillis() + " ms");
                assertTrue(child.waitForExit(Duration.ofSeconds(60)), () -> "still running:\n" + child.output());
                assertTrue(child.output().contains("no grace period to wait"), child.output());
            }
        }
    }

    @Test
    void aCallThatEndsDuringTheGraceEndsByItselfAndTheServerStopsThen() throws Exception {
        int grace = 240;
        try (ChildServer child = start(grace)) {
            Http http = new Http(child.port(), InProcessServer.ADMIN_TOKEN);
            try (Call call = activeCall(child, http)) {
                child.terminate();
                awaitDraining(child, http);
                call.agent().action("end_call", call.id(), InProcessServer.AGENT1);
                assertEquals("agent_hangup", call.customer().expect("call_ended").path("reason").asText());
                // The drain waits for the calls, not for the clock: the server stops long before the grace is over.
                assertTrue(child.waitForExit(Duration.ofSeconds(90)), () -> "still running:\n" + child.output());
                assertTrue(child.output().contains("every call has ended"), child.output());
            }
        }
    }
}
