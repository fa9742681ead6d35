/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance 3: sessions, ratings and stats survive {@code kill -9} of a server child process
 * ({@code java -cp <test class path> dev.cskit.server.Main --port 0 --data-dir D}) and a new start on the same
 * data directory; so does the link secret, so links handed out before the crash still work.
 */
@Timeout(180)
class RestartIT {

    @TempDir
    Path dataDir;

    /** Every session (without the moving {@code duration}) and the stats (without the average duration). */
    static JsonNode snapshot(Http http) {
        JsonNode list = http.get("/customer-service/sessions?page_size=100").data();
        ArrayNode sessions = (ArrayNode) list.get("sessions").deepCopy();
        sessions.forEach(s -> ((ObjectNode) s).remove("duration"));
        ObjectNode stats = (ObjectNode) http.stats().deepCopy();
        return Http.obj().put("total", list.path("total").asInt()).<ObjectNode>set("sessions", sessions)
                .set("stats", stats);
    }

    @Test
    void sessionsRatingsAndStatsSurviveKillDashNine() throws Exception {
        JsonNode before;
        String unratedId;
        String unratedCustomerToken;
        String activeId;
        try (ChildServer first = ChildServer.mainOnTestClassPath(dataDir)) {
            Http http = new Http(first.port(), null);

            // An ended, rated session.
            String rated = http.createSession("Broken screen", "John").path("id").asText();
            http.assign(rated, "agent_001", "Agent Wang");
            JsonNode links = http.links(rated);
            assertEquals(200, http.delete("/customer-service/sessions/" + rated).status());
            http.post("/customer-service/sessions/" + rated + "/rating",
                    Http.obj().put("stars", 3).put("comment", "ok").toString(),
                    links.path("customer_token").asText()).data();

            // An ended session not rated yet; its customer keeps the link.
            unratedId = http.createSession("Late delivery", "Mary").path("id").asText();
            http.assign(unratedId, "agent_001", "Agent Wang");
            unratedCustomerToken = http.links(unratedId).path("customer_token").asText();
            http.delete("/customer-service/sessions/" + unratedId).data();

            // A waiting session, and an accepted call on hold that is in progress at the crash.
            http.assign(http.createSession("Invoice", "Paul").path("id").asText(), "agent_002", "Agent Li");
            activeId = http.createSession("Warranty", "Rita").path("id").asText();
            http.assign(activeId, "agent_001", "Agent Wang");
            JsonNode al = http.links(activeId);
            try (RoomClient customer = RoomClient.connect("customer", first.port());
                 RoomClient agent = RoomClient.connect("agent", first.port())) {
                assertEquals("joined", customer.join(activeId, al.path("customer_id").asText(),
                        al.path("customer_token").asText()).path("action").asText());
                assertEquals("joined", agent.join(activeId, "agent_001", al.path("agent_token").asText())
                        .path("action").asText());
                agent.action("accept_call", activeId, "agent_001");
                customer.expect("call_accepted");
                agent.action("hold_call", activeId, "agent_001");
                customer.expect("call_held");
                agent.expect("call_held");

                before = snapshot(http);
                JsonNode stats = before.get("stats");
                assertEquals(4, stats.path("total_sessions").asInt(), stats::toString);
                assertEquals(1, stats.path("active_sessions").asInt(), stats::toString);
                assertEquals(1, stats.path("waiting_sessions").asInt(), stats::toString);
                assertEquals(2, stats.path("ended_sessions").asInt(), stats::toString);
                assertEquals(1, stats.path("rated_sessions").asInt(), stats::toString);

                first.kill(); // kill -9 while the call is in progress: no shutdown hook, no orderly close
                assertFalse(first.isAlive());
            }
        }

        try (ChildServer second = ChildServer.mainOnTestClassPath(dataDir)) {
            Http http = new Http(second.port(), null);
            JsonNode after = snapshot(http);
            assertEquals(before, after);
            assertEquals("Active", http.session(activeId).path("status").asText());

            // The link secret survived too: the customer's old link rates the call now.
            JsonNode rated = http.post("/customer-service/sessions/" + unratedId + "/rating",
                    Http.obj().put("stars", 5).toString(), unratedCustomerToken).data();
            assertEquals(5, rated.path("rating").path("stars").asInt());
            JsonNode stats = http.stats();
            assertEquals(2, stats.path("rated_sessions").asInt(), stats::toString);
            assertEquals(4.0, stats.path("average_rating").asDouble(), 1e-9, stats::toString);

            // New sessions do not collide with restored ones.
            String fresh = http.createSession("After restart", "Zoe").path("id").asText();
            for (JsonNode s : before.get("sessions")) {
                assertNotEquals(s.path("id").asText(), fresh);
            }
            assertEquals(5, http.stats().path("total_sessions").asInt());
        }

        // And once more, to see that what the second run wrote is kept as well.
        try (ChildServer third = ChildServer.mainOnTestClassPath(dataDir)) {
            Http http = new Http(third.port(), null);
            JsonNode stats = http.stats();
            assertEquals(5, stats.path("total_sessions").asInt(), stats::toString);
            assertEquals(2, stats.path("rated_sessions").asInt(), stats::toString);
            assertEquals(5, http.session(unratedId).path("rating").path("stars").asInt());
        }
    }

    @Test
    void everyAcknowledgedCreateSurvivesAKillInTheMiddleOfWrites() throws Exception {
        List<String> acknowledged = new CopyOnWriteArrayList<>();
        try (ChildServer first = ChildServer.mainOnTestClassPath(dataDir)) {
            Http http = new Http(first.port(), null);
            AtomicBoolean stop = new AtomicBoolean();
            Runnable writer = () -> {
                for (int i = 0; i < 2000 && !stop.get(); i++) {
                    Http.Reply r;
                    try {
                        r = http.post("/customer-service/sessions",
                                Http.obj().put("title", "burst " + i).put("customer_name", "N").toString());
                    } catch (AssertionError connectionGone) {
                        return;
                    }
                    if (r.status() == 200) {
                        acknowledged.add(r.body().path("data").path("id").asText());
                    }
                }
            };
            Thread a = new Thread(writer, "writer-a");
            Thread b = new Thread(writer, "writer-b");
            a.start();
            b.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (acknowledged.size() < 40 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            first.kill(); // while both writers are still sending
            stop.set(true);
            a.join(30_000);
            b.join(30_000);
            assertFalse(a.isAlive() || b.isAlive(), "writers did not stop");
        }
        assertTrue(acknowledged.size() >= 40, "only " + acknowledged.size() + " creates were acknowledged");

        try (ChildServer second = ChildServer.mainOnTestClassPath(dataDir)) {
            Http http = new Http(second.port(), null);
            for (String id : acknowledged) {
                assertEquals("Waiting", http.session(id).path("status").asText(), id);
            }
            JsonNode stats = http.stats();
            int total = stats.path("total_sessions").asInt();
            assertTrue(total >= acknowledged.size(), stats::toString);
            assertEquals(total, stats.path("waiting_sessions").asInt(), stats::toString);
            assertEquals(total, http.get("/customer-service/sessions?status=Waiting").data().path("total").asInt());
        }
    }
}
