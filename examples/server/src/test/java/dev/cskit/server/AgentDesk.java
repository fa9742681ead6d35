/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An agent's desk: a lobby socket ({@code ?type=cs_agent}) that records every frame with its arrival time and,
 * when told to, accepts each offer and ends each call it got (on its node, over HTTP, off the socket's thread).
 */
final class AgentDesk implements AutoCloseable {

    /** One lobby frame as it came. */
    record Frame(Instant at, String action, String sessionId, JsonNode json) {
    }

    final String agentId;
    final List<Frame> frames = new CopyOnWriteArrayList<>();
    private final Http http;
    private final WebSocket ws;
    private final ExecutorService worker = Executors.newSingleThreadExecutor();
    private volatile boolean takeCalls;
    private volatile boolean endCalls = true;

    private AgentDesk(String agentId, Http http, int port) {
        this.agentId = agentId;
        this.http = http;
        WebSocket.Listener listener = new TextFrames(this::received);
        this.ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/room?type=cs_agent"), listener)
                .orTimeout(10, TimeUnit.SECONDS).join();
    }

    static AgentDesk open(String agentId, String node, Http http, int port) {
        AgentDesk d = new AgentDesk(agentId, http, port);
        String token = http.login(agentId, "pw-" + agentId);
        d.ws.sendText(Http.obj().put("action", "join").put("room_id", "agent/" + agentId).put("user_id", agentId)
                .put("token", token).toString(), true).join();
        d.awaitFrame("joined", null);
        return d;
    }

    private void received(String text) {
        JsonNode f;
        try {
            f = Http.JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
        Frame frame = new Frame(Instant.now(), f.path("action").asText(),
                f.path("session_id").asText(null), f);
        frames.add(frame);
        if (takeCalls && frame.action.equals("incoming_call")) {
            worker.execute(() -> send("accept_incoming", frame.sessionId));
        } else if (endCalls && frame.action.equals("incoming_accepted")) {
            worker.execute(() -> http.delete("/customer-service/sessions/" + frame.sessionId).data());
        }
    }

    void takeCalls(boolean value) {
        takeCalls = value;
    }

    void endCalls(boolean value) {
        endCalls = value;
    }

    synchronized void send(String action, String sessionId) {
        var f = Http.obj().put("action", action).put("room_id", "agent/" + agentId).put("user_id", agentId);
        if (sessionId != null) {
            f.put("session_id", sessionId).put("media", "audio");
        }
        ws.sendText(f.toString(), true).orTimeout(5, TimeUnit.SECONDS).join();
    }

    List<Frame> offers() {
        return frames.stream().filter(f -> f.action.equals("incoming_call")).toList();
    }

    List<String> accepted() {
        return frames.stream().filter(f -> f.action.equals("incoming_accepted")).map(Frame::sessionId).toList();
    }

    /** Waits for a frame with this action (and session, unless null) that came; fails after 60 s. */
    Frame awaitFrame(String action, String sessionId) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            for (Frame f : frames) {
                if (f.action.equals(action) && (sessionId == null || sessionId.equals(f.sessionId))) {
                    return f;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        throw new AssertionError(agentId + ": no " + action + " " + sessionId + " within 60 s; got " + frames);
    }

    @Override
    public void close() {
        worker.shutdownNow();
        ws.abort();
    }
}
