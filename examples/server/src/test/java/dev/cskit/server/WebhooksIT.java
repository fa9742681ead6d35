/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import static dev.cskit.server.InProcessServer.AGENT1;
import static dev.cskit.server.InProcessServer.AGENT1_NAME;
import static dev.cskit.server.InProcessServer.AGENT2;
import static dev.cskit.server.InProcessServer.AGENT2_NAME;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cskit.api.webhook.WebhookEndpoint;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, acceptance 1: a receiver on loopback gets every event of a scripted call, each signed (checked by
 * {@link StandardWebhooksVerifier}, which knows nothing of cskit's code), in order per session; and with the
 * receiver down for 10 s and {@code kill -9} of the server (a child {@code java -jar cs-server.jar}) during that
 * outage, every event arrives after the restart, none is missing, and the ids de-duplicate to the expected set.
 */
@Timeout(240)
class WebhooksIT {

    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final List<String> WHOLE_CALL = List.of("session.created", "session.assigned", "call.accepted",
            "call.held", "call.resumed", "call.transferred", "call.ended", "session.rated");

    @TempDir
    Path dataDir;

    /** The parties of a call in its room, after create, assign and both joining. */
    record Call(String id, String customerId, String customerToken, RoomClient customer, RoomClient agent)
            implements AutoCloseable {
        @Override
        public void close() {
            customer.close();
            agent.close();
        }
    }

    static Call createAndJoin(Http http, int port, String title) {
        String id = http.createSession(title, "John").path("id").asText();
        http.assign(id, AGENT1, AGENT1_NAME);
        JsonNode links = http.links(id);
        RoomClient customer = RoomClient.connect("customer", port);
        RoomClient agent = RoomClient.connect("agent", port);
        String customerId = links.path("customer_id").asText();
        assertEquals("joined", customer.join(id, customerId, links.path("customer_token").asText())
                .path("action").asText());
        assertEquals("joined", agent.join(id, AGENT1, links.path("agent_token").asText()).path("action").asText());
        return new Call(id, customerId, links.path("customer_token").asText(), customer, agent);
    }

    static void accept(Call c) {
        c.agent().action("accept_call", c.id(), AGENT1);
        c.customer().expect("call_accepted");
    }

    /** Hold, resume, transfer to agent_002 (not seated in its lobby: at once), the customer hangs up, rates. */
    static void restOfTheCall(Http http, Call c) {
        c.agent().action("hold_call", c.id(), AGENT1);
        c.customer().expect("call_held");
        c.agent().action("resume_call", c.id(), AGENT1);
        c.customer().expect("call_resumed");
        c.agent().send(Http.obj().put("action", "transfer_call").put("room_id", "customer-service/" + c.id())
                .put("user_id", AGENT1).put("to_agent_id", AGENT2).put("to_agent_name", AGENT2_NAME));
        c.customer().expect("call_transferred");
        c.customer().action("end_call", c.id(), c.customerId());
        c.customer().expect("call_ended");
        JsonNode rated = http.post("/customer-service/sessions/" + c.id() + "/rating",
                Http.obj().put("stars", 4).put("comment", "fine").toString(), c.customerToken()).data();
        assertEquals(4, rated.path("rating").path("stars").asInt());
    }

    /** Every accepted request: JSON, its webhook-id the body's id; retries of one event carry the same body. */
    static void assertWellFormed(WebhookReceiver receiver) {
        assertEquals(List.of(), receiver.rejected(), "requests the verifier refused");
        Map<String, byte[]> bodies = new HashMap<>();
        for (WebhookReceiver.Request r : receiver.accepted()) {
            assertEquals("application/json", r.contentType());
            assertTrue(r.id().startsWith("msg_"), r.id());
            assertTrue(r.json().path("timestamp").isTextual() && r.json().path("data").isObject(), r.json()::toString);
            byte[] first = bodies.putIfAbsent(r.id(), r.body());
            if (first != null) {
                assertArrayEquals(first, r.body(), "a retry of " + r.id() + " sends the same body");
            }
        }
    }

    @Test
    void everyEventOfAScriptedCallArrivesSignedAndInOrder() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start(SECRET);
             InProcessServer server = InProcessServer.start(dataDir, b -> b.webhooks(List.of(
                     new WebhookEndpoint(URI.create(receiver.url()), SECRET, Set.of()))))) {
            Http http = server.http;
            String id;
            try (Call c = createAndJoin(http, server.port(), "Broken screen")) {
                id = c.id();
                accept(c);
                restOfTheCall(http, c);
            }
            receiver.await("the whole call", Duration.ofSeconds(60), l -> receiver.typesOf(id).size() >= 8);
            assertEquals(WHOLE_CALL, receiver.typesOf(id));
            assertWellFormed(receiver);

            JsonNode ended = receiver.distinct().stream().filter(r -> r.type().equals("call.ended")).findFirst()
                    .orElseThrow().json().path("data");
            assertEquals("customer_hangup", ended.path("reason").asText());
            assertEquals(AGENT2, ended.path("agent_id").asText());
            assertTrue(ended.path("duration").isIntegralNumber(), ended::toString);
            assertEquals(id, ended.path("session").path("id").asText());
            JsonNode transferred = receiver.distinct().stream().filter(r -> r.type().equals("call.transferred"))
                    .findFirst().orElseThrow().json().path("data");
            assertEquals(AGENT1, transferred.path("from_agent_id").asText());
            assertEquals(AGENT2, transferred.path("to_agent_id").asText());
            // The agent's presence is heard too: agent_001 was busy with the call.
            receiver.await("agent_001 busy", Duration.ofSeconds(30), l -> l.stream().anyMatch(r ->
                    r.type().equals("agent.state_changed") && r.json().path("data").path("agent_id").asText()
                            .equals(AGENT1) && r.json().path("data").path("state").asText().equals("busy")));
            assertTrue(http.get("/customer-service/webhooks/deliveries?status=failed").data().path("deliveries")
                    .isEmpty());
        }
    }

    @Test
    void everyEventArrivesAfterAnOutageWithAKillDashNineInIt() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start(SECRET)) {
            Path config = dataDir.resolve("cskit.yaml");
            Files.writeString(config, """
                    server:
                      public_ip: 127.0.0.1
                    customer_service:
                      agents: [ { id: %s, name: %s }, { id: %s, name: %s } ]
                      webhooks:
                        - url: %s
                          secret: %s
                      webhook_delivery: { max_retry_interval: 2 }
                    """.formatted(AGENT1, AGENT1_NAME, AGENT2, AGENT2_NAME, receiver.url(), SECRET));
            Path data = dataDir.resolve("data");
            List<String> command = List.of(ChildServer.java(), "-Xmx256m", "-jar", JarCurlExamplesIT.jar().toString(),
                    "--config", config.toString(), "--port", "0", "--media-port", "0", "--data-dir", data.toString());

            String s1;
            String s2;
            Set<String> deliveredBefore;
            Instant outage;
            try (ChildServer first = ChildServer.start(command)) {
                Http http = new Http(first.port(), null); // admin over loopback
                Call c = createAndJoin(http, first.port(), "Broken screen");
                s1 = c.id();
                accept(c);
                receiver.await("the first three events", Duration.ofSeconds(60),
                        l -> receiver.typesOf(s1).size() == 3);
                awaitNothingPending(http); // delivered and marked so in the journal before the outage
                deliveredBefore = new HashSet<>(receiver.distinct().stream().map(WebhookReceiver.Request::id).toList());

                receiver.down();
                outage = Instant.now();
                restOfTheCall(http, c);
                s2 = http.createSession("Late delivery", "Mary").path("id").asText();
                http.assign(s2, AGENT1, AGENT1_NAME);
                // The server has tried and failed: the events wait in its outbox.
                long deadline = System.nanoTime() + Duration.ofSeconds(8).toNanos();
                while (http.get("/customer-service/webhooks/deliveries?status=failed").data().path("deliveries")
                        .isEmpty()) {
                    assertTrue(System.nanoTime() < deadline, "no failed delivery listed during the outage");
                    Thread.sleep(20);
                }
                assertTrue(Duration.between(outage, Instant.now()).toSeconds() < 10, "the kill comes in the outage");
                first.kill(); // kill -9: no shutdown hook, no orderly close
                assertFalse(first.isAlive());
                c.close();
            }

            try (ChildServer second = ChildServer.start(command)) {
                // The receiver stays down for 10 s in all; the restarted server keeps failing until then.
                Instant back = outage.plusSeconds(10);
                long wait = Duration.between(Instant.now(), back).toMillis();
                if (wait > 0) {
                    Thread.sleep(wait); // the outage itself, not a guess at how long something takes
                }
                receiver.up();
                Map<String, List<String>> expected = Map.of(s1, WHOLE_CALL,
                        s2, List.of("session.created", "session.assigned"));
                receiver.await("every session event", Duration.ofSeconds(90), l ->
                        receiver.typesOf(s1).size() >= 8 && receiver.typesOf(s2).size() >= 2);

                assertWellFormed(receiver);
                for (Map.Entry<String, List<String>> e : expected.entrySet()) {
                    assertEquals(e.getValue(), receiver.typesOf(e.getKey()), "the events of " + e.getKey()
                            + ", once each by id and in order");
                }
                // The ids de-duplicate to exactly the expected events: none missing, none made twice.
                List<String> sessionEvents = new ArrayList<>();
                for (WebhookReceiver.Request r : receiver.distinct()) {
                    if (!r.type().equals("agent.state_changed")) {
                        sessionEvents.add(r.sessionId() + " " + r.type());
                    }
                }
                assertEquals(10, sessionEvents.size(), sessionEvents::toString);
                assertEquals(10, new HashSet<>(sessionEvents).size(), sessionEvents::toString);
                // What was delivered before the crash is not sent again.
                for (WebhookReceiver.Request r : receiver.accepted()) {
                    if (r.at().isAfter(outage)) {
                        assertFalse(deliveredBefore.contains(r.id()), r.type() + " " + r.id() + " was sent again");
                    }
                }
                awaitNothingPending(new Http(second.port(), null));
                System.out.printf("webhooks after an outage with kill -9: %d requests accepted, %d distinct events "
                        + "(%d session events), %d sent more than once; the second start logged %d failing-endpoint "
                        + "lines%n", receiver.accepted().size(), receiver.distinct().size(), sessionEvents.size(),
                        receiver.accepted().size() - receiver.distinct().size(),
                        second.output().lines().filter(l -> l.contains("failing:")).count());
            }
        }
    }

    /** Waits (bounded) until the server lists no delivery still to make. */
    static void awaitNothingPending(Http http) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            JsonNode pending = http.get("/customer-service/webhooks/deliveries?status=pending").data()
                    .path("deliveries");
            if (pending.isEmpty()) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, () -> "still pending: " + pending);
            Thread.sleep(20);
        }
    }
}
