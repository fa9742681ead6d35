/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cskit.api.annotation.Nullable;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A small client of the customer-service HTTP API for integration tests: the JDK's {@link HttpClient}
 * (HTTP/1.1, bounded timeouts) against {@code http://127.0.0.1:port}. Every answer is read as the JSON
 * envelope. Thread-safe.
 */
final class Http {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** One answer: status, envelope (or null if the body was not JSON), raw body. */
    record Reply(int status, @Nullable JsonNode body, String raw) {

        /** The {@code data} of a success envelope; fails unless status 200 and code 0. */
        JsonNode data() {
            assertEquals(200, status, () -> "expected 200, got " + status + ": " + raw);
            assertEquals(0, body.path("code").asInt(-1), raw);
            return body.get("data");
        }

        /** Asserts an error envelope with this status, a non-zero code and a message containing {@code text}. */
        Reply assertError(int expectedStatus, String text) {
            assertEquals(expectedStatus, status, () -> "expected " + expectedStatus + ", got " + status + ": " + raw);
            assertTrue(body != null && body.path("code").asInt(0) != 0, () -> "no error code in " + raw);
            String message = body.path("message").asText("");
            assertTrue(message.contains(text), () -> "message '" + message + "' does not mention '" + text + "'");
            return this;
        }
    }

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .build();
    final String base;
    private final @Nullable String adminToken;

    /**
     * @param port       the server's port on 127.0.0.1
     * @param adminToken sent as the bearer token when a call gives none, or null
     */
    Http(int port, @Nullable String adminToken) {
        this.base = "http://127.0.0.1:" + port;
        this.adminToken = adminToken;
    }

    static ObjectNode obj() {
        return JSON.createObjectNode();
    }

    Reply get(String path) {
        return send(builder(path, adminToken).GET());
    }

    Reply get(String path, @Nullable String token) {
        return send(builder(path, token).GET());
    }

    Reply post(String path, String body) {
        return post(path, body, adminToken);
    }

    Reply post(String path, String body, @Nullable String token) {
        return send(builder(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Reply delete(String path) {
        return send(builder(path, adminToken).DELETE());
    }

    Reply patch(String path, String body) {
        return send(builder(path, adminToken).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpRequest.Builder builder(String path, @Nullable String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    Reply send(HttpRequest.Builder b) {
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body;
            try {
                body = JSON.readTree(r.body());
            } catch (IOException e) {
                body = null;
            }
            return new Reply(r.statusCode(), body, r.body());
        } catch (IOException e) {
            throw new AssertionError("HTTP request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    // ------------------------------------------------------------ customer-service shortcuts

    /** POST /sessions; returns the new session. */
    JsonNode createSession(String title, String customerName) {
        ObjectNode b = obj().put("title", title).put("customer_name", customerName);
        return post("/customer-service/sessions", b.toString()).data();
    }

    JsonNode assign(String id, String agentId, String agentName) {
        ObjectNode b = obj().put("agent_id", agentId).put("agent_name", agentName);
        return post("/customer-service/sessions/" + id + "/assign", b.toString()).data();
    }

    JsonNode links(String id) {
        return get("/customer-service/sessions/" + id + "/links").data();
    }

    JsonNode session(String id) {
        return get("/customer-service/sessions/" + id).data();
    }

    JsonNode stats() {
        return get("/customer-service/stats").data();
    }

    /** POST /agents/login; returns the login token. */
    String login(String agentId, String password) {
        ObjectNode b = obj().put("agent_id", agentId).put("password", password);
        return post("/customer-service/agents/login", b.toString(), null).data().path("token").asText();
    }
}
