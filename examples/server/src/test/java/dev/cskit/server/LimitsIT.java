/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The configured limits over real sockets: max_sessions and the length bounds of names and comments. */
@Timeout(60)
class LimitsIT {

    @TempDir
    Path dataDir;

    @Test
    void createBeyondMaxSessionsIsRefusedUntilOneEnds() throws Exception {
        try (InProcessServer server = InProcessServer.start(dataDir, b -> b.maxSessions(2))) {
            Http http = server.http;
            http.createSession("one", "A");
            String two = http.createSession("two", "B").path("id").asText();
            JsonNode before = http.stats();
            Http.Reply refused = http.post("/customer-service/sessions",
                    Http.obj().put("title", "three").put("customer_name", "C").toString());
            refused.assertError(refused.status() == 503 ? 503 : 429, "max_sessions");
            assertEquals(before, http.stats());
            // Ending one frees a place.
            http.delete("/customer-service/sessions/" + two).data();
            assertEquals("Waiting", http.createSession("three", "C").path("status").asText());
            assertEquals(3, http.stats().path("total_sessions").asInt());
        }
    }

    @Test
    void overlongFieldsAreRefusedWith400() throws Exception {
        try (InProcessServer server = InProcessServer.start(dataDir)) {
            Http http = server.http;
            JsonNode before = http.stats();
            http.post("/customer-service/sessions", Http.obj().put("title", "t".repeat(201))
                    .put("customer_name", "C").toString()).assertError(400, "title");
            http.post("/customer-service/sessions", Http.obj().put("title", "t")
                    .put("customer_name", "C".repeat(201)).toString()).assertError(400, "customer_name");
            http.post("/customer-service/sessions", Http.obj().put("title", "t").put("customer_name", "C")
                    .put("description", "d".repeat(2001)).toString()).assertError(400, "description");
            assertEquals(before, http.stats());

            String id = http.createSession("t", "C").path("id").asText();
            http.assign(id, InProcessServer.AGENT1, InProcessServer.AGENT1_NAME);
            String token = http.links(id).path("customer_token").asText();
            http.delete("/customer-service/sessions/" + id).data();
            http.post("/customer-service/sessions/" + id + "/rating",
                    Http.obj().put("stars", 4).put("comment", "c".repeat(100_000)).toString(), token)
                    .assertError(413, "exceeds");
            http.post("/customer-service/sessions/" + id + "/rating",
                    Http.obj().put("stars", 4).put("comment", "c".repeat(5000)).toString(), token)
                    .assertError(400, "comment");
            http.post("/customer-service/sessions/" + id + "/rating",
                    Http.obj().put("stars", 0).toString(), token).assertError(400, "stars");
            http.post("/customer-service/sessions/" + id + "/rating",
                    Http.obj().put("stars", 6).toString(), token).assertError(400, "stars");
            assertEquals("null", http.session(id).path("rating").toString());
        }
    }
}
