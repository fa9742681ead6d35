/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.http.HttpRequest;
import dev.cskit.api.http.HttpResponse;
import dev.cskit.core.auth.AdminGuard;
import dev.cskit.core.auth.AgentDirectory;
import dev.cskit.core.auth.PartyAuthorizer;
import dev.cskit.core.auth.TokenService;
import dev.cskit.core.session.InMemorySessionStore;
import dev.cskit.core.session.SessionManager;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Generated links follow the scheme and host the client used, unless {@code public_url} is set. */
class SessionLinksTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SessionManager sessions = new SessionManager(new InMemorySessionStore(), Clock.systemUTC(), 10,
            Duration.ofHours(1));
    private final TokenService tokens = new TokenService("k".repeat(32).getBytes(StandardCharsets.UTF_8),
            Clock.systemUTC());

    private JsonNode links(@Nullable String publicUrl, UnaryOperator<HttpRequest.Builder> request) throws Exception {
        RouteTable routes = new RouteTable();
        new SessionsResource(sessions, tokens, new PartyAuthorizer(sessions, tokens), new AgentDirectory(List.of()),
                new AdminGuard("admin"), publicUrl).mount(routes);
        String id = sessions.create("t", "c", null).id();
        HttpResponse r = routes.handle(request.apply(HttpRequest.newBuilder("GET",
                "/customer-service/sessions/" + id + "/links").header("Authorization", "Bearer admin")).build());
        assertEquals(200, r.status(), r.bodyAsString());
        return JSON.readTree(r.bodyAsString()).get("data");
    }

    @Test
    void plainHttpRequestGetsHttpLinksOnItsHost() throws Exception {
        JsonNode d = links(null, b -> b.header("Host", "cs.test:8080"));
        assertTrue(d.get("customer_url").asText().startsWith("http://cs.test:8080/?session="), d.toString());
    }

    @Test
    void tlsRequestGetsHttpsLinks() throws Exception {
        JsonNode d = links(null, b -> b.header("Host", "cs.test:8443").scheme("https"));
        assertTrue(d.get("customer_url").asText().startsWith("https://cs.test:8443/?session="), d.toString());
        assertTrue(d.get("agent_url").asText().startsWith("https://cs.test:8443/?session="), d.toString());
    }

    @Test
    void trustedProxyAuthorityAndSchemeWin() throws Exception {
        JsonNode d = links(null, b -> b.header("Host", "127.0.0.1:8080").scheme("https")
                .authority("cs.example.com").viaTrustedProxy(true));
        assertTrue(d.get("customer_url").asText().startsWith("https://cs.example.com/?session="), d.toString());
    }

    @Test
    void publicUrlWinsOverTheRequest() throws Exception {
        JsonNode d = links("https://cs.example.com", b -> b.header("Host", "localhost:8080"));
        assertTrue(d.get("customer_url").asText().startsWith("https://cs.example.com/?session="), d.toString());
    }
}
