/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 item 3, acceptance 4: agents made, changed, disabled and removed through the API survive {@code kill -9}
 * of a zero-config server child process and a new start on the same data directory; the first agent is made once,
 * its password logged and written to {@code data_dir/first-agent.txt} (mode 600), and not made again.
 */
@Timeout(240)
class AgentsRestartIT {

    /** The plugin's log line for the first agent. */
    static final Pattern FIRST_AGENT = Pattern.compile("created agent agent_001 with password (\\S+) ");

    @TempDir
    Path dataDir;

    static String firstAgentPassword(ChildServer server) {
        Matcher m = FIRST_AGENT.matcher(server.output());
        assertTrue(m.find(), () -> "no first-agent line in the log:\n" + server.output());
        return m.group(1);
    }

    private static int loginStatus(Http http, String id, String password) {
        return http.post("/customer-service/agents/login",
                Http.obj().put("agent_id", id).put("password", password).toString(), null).status();
    }

    private static JsonNode agents(Http http) {
        JsonNode list = http.get("/customer-service/agents").data().get("agents");
        com.fasterxml.jackson.databind.node.ObjectNode byId = Http.obj();
        list.forEach(a -> byId.set(a.get("id").asText(), a));
        return byId;
    }

    @Test
    void agentsAndTheirChangesSurviveKillDashNine() throws Exception {
        Path file = dataDir.resolve("first-agent.txt");
        String password;
        String token7;
        try (ChildServer first = ChildServer.mainOnTestClassPath(dataDir)) {
            password = firstAgentPassword(first);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertTrue(Files.readString(file).contains("password: " + password + "\n"), Files.readString(file));
            Http http = new Http(first.port(), null); // admin over loopback, as the README's curl examples
            assertEquals(200, loginStatus(http, "agent_001", password));

            JsonNode made = http.post("/customer-service/agents",
                    Http.obj().put("id", "agent_007").put("name", "Bond").put("password", "first-pw").toString()).data();
            assertEquals("agent_007", made.get("id").asText());
            http.post("/customer-service/agents", Http.obj().put("id", "agent_007").put("name", "X")
                    .put("password", "y").toString()).assertError(409, "exists already");
            http.patch("/customer-service/agents/agent_007", Http.obj().put("password", "second-pw")
                    .put("name", "James Bond").toString()).data();
            http.post("/customer-service/agents", Http.obj().put("id", "agent_008").put("name", "Eight")
                    .put("password", "pw-8").toString()).data();
            http.patch("/customer-service/agents/agent_008", Http.obj().put("enabled", false).toString()).data();
            http.post("/customer-service/agents", Http.obj().put("id", "agent_009").put("name", "Nine")
                    .put("password", "pw-9").toString()).data();
            http.delete("/customer-service/agents/agent_009").data();
            token7 = http.login("agent_007", "second-pw");

            first.kill(); // kill -9 right after the last acknowledged change
            assertFalse(first.isAlive());
        }

        try (ChildServer second = ChildServer.mainOnTestClassPath(dataDir)) {
            assertFalse(FIRST_AGENT.matcher(second.output()).find(), "a second first agent was made");
            assertTrue(Files.readString(file).contains("password: " + password + "\n"), "the file is unchanged");
            Http http = new Http(second.port(), null);
            JsonNode agents = agents(http);
            assertEquals("James Bond", agents.path("agent_007").path("name").asText(), agents.toString());
            assertTrue(agents.path("agent_007").path("enabled").asBoolean());
            assertFalse(agents.path("agent_008").path("enabled").asBoolean());
            assertFalse(agents.has("agent_009"), agents.toString());
            assertEquals(200, loginStatus(http, "agent_001", password));
            assertEquals(200, loginStatus(http, "agent_007", "second-pw"));
            assertEquals(401, loginStatus(http, "agent_007", "first-pw"));
            assertEquals(401, loginStatus(http, "agent_008", "pw-8"));
            assertEquals(401, loginStatus(http, "agent_009", "pw-9"));
            assertEquals(200, http.get("/customer-service/agents/agent_007", token7).status(),
                    "a login made before the crash still holds");

            // Bad input after the restart: a clear 4xx, nothing changed.
            http.post("/customer-service/agents", Http.obj().put("id", "a|b").put("name", "X").put("password", "y")
                    .toString()).assertError(400, "must be 1 to 64 characters");
            http.post("/customer-service/agents", Http.obj().put("id", "agent_010").put("name", "X").put("password", "")
                    .toString()).assertError(400, "password");
            http.patch("/customer-service/agents/agent_404", Http.obj().put("enabled", true).toString())
                    .assertError(404, "no agent agent_404");
            assertEquals(agents, agents(http));

            http.patch("/customer-service/agents/agent_008", Http.obj().put("enabled", true).toString()).data();
            second.kill();
        }

        try (ChildServer third = ChildServer.mainOnTestClassPath(dataDir)) {
            Http http = new Http(third.port(), null);
            assertEquals(200, loginStatus(http, "agent_008", "pw-8"), "re-enabled before the second crash");
            assertEquals(3, agents(http).size(), agents(http).toString());
        }
    }
}
