/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A webhook receiver for tests: a JDK {@link HttpServer} on loopback that checks every request with
 * {@link StandardWebhooksVerifier} (refused ones get 401 and are counted), keeps the accepted ones, and answers
 * 204. It can go down (its port closed: attempts get "connection refused") and come up again on the same port.
 */
final class WebhookReceiver implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    /** One request that passed the verifier. */
    record Request(String id, String timestamp, String contentType, byte[] body, JsonNode json, Instant at) {
        String type() {
            return json.path("type").asText();
        }

        String sessionId() {
            return json.path("data").path("session_id").asText(null);
        }
    }

    private final StandardWebhooksVerifier verifier;
    private final List<Request> accepted = new CopyOnWriteArrayList<>();
    private final List<String> rejected = new CopyOnWriteArrayList<>();
    private int port;
    private HttpServer server; // guarded by this

    private WebhookReceiver(String secret) {
        this.verifier = new StandardWebhooksVerifier(secret);
    }

    static WebhookReceiver start(String secret) throws IOException {
        WebhookReceiver r = new WebhookReceiver(secret);
        r.bind(0);
        return r;
    }

    private synchronized void bind(int p) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), p), 50);
        server.createContext("/hook", this::handle);
        server.start();
        port = server.getAddress().getPort();
    }

    String url() {
        return "http://127.0.0.1:" + port + "/hook";
    }

    /** Closes the port: from now on connections are refused. */
    synchronized void down() {
        server.stop(0);
        server = null;
    }

    /** Listens again on the same port. */
    synchronized void up() throws IOException {
        bind(port);
    }

    private void handle(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        String id = ex.getRequestHeaders().getFirst("webhook-id");
        String ts = ex.getRequestHeaders().getFirst("webhook-timestamp");
        String sig = ex.getRequestHeaders().getFirst("webhook-signature");
        int status = 204;
        try {
            verifier.verify(id, ts, sig, body, Instant.now());
            JsonNode json = JSON.readTree(new String(body, StandardCharsets.UTF_8));
            if (!id.equals(json.path("id").asText())) {
                throw new StandardWebhooksVerifier.Rejected("webhook-id " + id + " is not the body's id " + json.get("id"));
            }
            accepted.add(new Request(id, ts, ex.getRequestHeaders().getFirst("content-type"), body, json,
                    Instant.now()));
        } catch (StandardWebhooksVerifier.Rejected | IOException e) {
            rejected.add(id + ": " + e.getMessage());
            status = 401;
        }
        ex.sendResponseHeaders(status, -1);
        ex.close();
    }

    List<Request> accepted() {
        return List.copyOf(accepted);
    }

    List<String> rejected() {
        return List.copyOf(rejected);
    }

    /** The accepted requests, one per event id (the first that arrived), in the order they first arrived. */
    List<Request> distinct() {
        Map<String, Request> byId = new LinkedHashMap<>();
        for (Request r : accepted) {
            byId.putIfAbsent(r.id(), r);
        }
        return new ArrayList<>(byId.values());
    }

    /**
     * The distinct session events of a session, in the order they first arrived (an {@code agent.state_changed}
     * names the session its agent is busy with, but is ordered with its agent's events, not the session's).
     */
    List<String> typesOf(String sessionId) {
        return distinct().stream().filter(r -> sessionId.equals(r.sessionId()))
                .filter(r -> !r.type().equals("agent.state_changed")).map(Request::type).toList();
    }

    /** Waits (bounded) until {@code done} holds for the distinct events. */
    void await(String what, Duration timeout, Predicate<List<Request>> done) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(distinct())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what
                        + "; received " + distinct().stream().map(r -> r.type() + "/" + r.sessionId()).toList()
                        + ", refused " + rejected);
            }
            Thread.sleep(20);
        }
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }
}
