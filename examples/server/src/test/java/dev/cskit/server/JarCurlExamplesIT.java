/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance 4: the seed's curl examples against the real runnable jar. Failsafe runs after the package
 * phase, so {@code target/cs-server.jar} (the shaded jar) exists here; it is started as a user would
 * ({@code java -jar cs-server.jar}, embedded defaults, no config file) with {@code --port 0}, and the port is
 * read from its ready log line.
 */
@Timeout(120)
class JarCurlExamplesIT {

    static final Pattern ISO_UTC = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");

    @TempDir
    Path dataDir;

    static Path jar() {
        Path jar = Path.of(System.getProperty("basedir", "."), "target", "cs-server.jar").toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), () -> jar + " is missing: run the integration tests with "
                + "'mvn verify' (failsafe runs after the package phase that builds the jar)");
        return jar;
    }

    @Test
    void seedCurlExamplesWorkAgainstTheRunnableJar() throws Exception {
        try (ChildServer server = ChildServer.jar(jar(), dataDir)) {
            // No admin_token in the embedded defaults: a local client needs no Authorization, as in the seed.
            Http http = new Http(server.port(), null);

            // curl -X POST .../customer-service/sessions -H "Content-Type: application/json"
            //      -d '{"title": "After-sales inquiry", "customer_name": "John"}'
            Http.Reply created = http.post("/customer-service/sessions",
                    "{\n\"title\": \"After-sales inquiry\",\n\"customer_name\": \"John\"\n}");
            JsonNode s = created.data();
            assertEquals(0, created.body().path("code").asInt());
            assertTrue(s.path("id").asText().matches("cs_[A-Za-z0-9_-]+"), s::toString);
            assertEquals("After-sales inquiry", s.path("title").asText());
            assertTrue(s.path("customer_id").isTextual() && !s.path("customer_id").asText().isEmpty(), s::toString);
            assertEquals("John", s.path("customer_name").asText());
            assertEquals("Waiting", s.path("status").asText());
            assertTrue(ISO_UTC.matcher(s.path("created_at").asText()).matches(), s::toString);
            for (String key : List.of("description", "agent_id", "agent_name", "on_hold", "accepted_at", "ended_at",
                    "duration", "end_reason", "rating")) {
                assertTrue(s.has(key), () -> "a session has '" + key + "': " + s);
            }
            String id = s.path("id").asText();

            // curl -X POST .../sessions/cs_abc123/assign -d '{"agent_id": "agent_001", "agent_name": "Agent Wang"}'
            JsonNode assigned = http.post("/customer-service/sessions/" + id + "/assign",
                    "{\n\"agent_id\": \"agent_001\",\n\"agent_name\": \"Agent Wang\"\n}").data();
            assertEquals(id, assigned.path("id").asText());
            assertEquals("agent_001", assigned.path("agent_id").asText());
            assertEquals("Agent Wang", assigned.path("agent_name").asText());
            assertEquals("Waiting", assigned.path("status").asText());

            // curl .../customer-service/stats
            JsonNode stats = http.get("/customer-service/stats").data();
            assertEquals(1, stats.path("total_sessions").asInt(), stats::toString);
            assertEquals(0, stats.path("active_sessions").asInt(), stats::toString);
            assertEquals(1, stats.path("waiting_sessions").asInt(), stats::toString);
            assertEquals(0, stats.path("ended_sessions").asInt(), stats::toString);

            // GET /sessions lists it; the jar's log says where the dashboard and the demo are.
            JsonNode list = http.get("/customer-service/sessions").data();
            assertEquals(1, list.path("total").asInt(), list::toString);
            assertEquals(id, list.path("sessions").get(0).path("id").asText());
            String out = server.output();
            assertTrue(out.contains("/admin/") && out.contains("demo http://localhost:" + server.port() + "/"), out);
        }
    }
}
