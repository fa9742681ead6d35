/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cskit.api.annotation.Nullable;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One room WebSocket ({@code ws://127.0.0.1:port/room?type=customer_service}) on the JDK's
 * {@link WebSocket}, for integration tests. Received text frames are parsed and queued; {@link #expect}
 * waits (bounded) for the next frame of an action, {@link #sync} collects everything up to a {@code pong}.
 * Frames the test read past are kept in {@link #skipped} so a failure can show them.
 */
final class RoomClient implements AutoCloseable {

    static final long WAIT_MS = 10_000;

    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    final List<JsonNode> skipped = new ArrayList<>();
    private final WebSocket ws;
    private volatile boolean closed;
    private final String name;

    private RoomClient(String name, int port, String type) {
        this.name = name;
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        WebSocket.Listener listener = new TextFrames(text -> {
            try {
                frames.add(Http.JSON.readTree(text));
            } catch (IOException e) {
                frames.add(Http.obj().put("action", "__not_json__").put("raw", text));
            }
        }) {
            @Override
            public CompletionStage<?> onClose(WebSocket w, int status, String reason) {
                closed = true;
                frames.add(Http.obj().put("action", "__closed__").put("status", status).put("reason", reason));
                return null;
            }

            @Override
            public void onError(WebSocket w, Throwable error) {
                closed = true;
                frames.add(Http.obj().put("action", "__error__").put("error", String.valueOf(error)));
            }
        };
        this.ws = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/room?type=" + type), listener)
                .orTimeout(10, TimeUnit.SECONDS).join();
    }

    static RoomClient connect(String name, int port) {
        return new RoomClient(name, port, "customer_service");
    }

    /** A socket for rooms of another type ({@code ?type=}). */
    static RoomClient connect(String name, int port, String type) {
        return new RoomClient(name, port, type);
    }

    /** Sends one text frame; threads take turns (a WebSocket sends one message at a time). */
    synchronized void send(String text) {
        ws.sendText(text, true).orTimeout(5, TimeUnit.SECONDS).join();
    }

    void send(ObjectNode frame) {
        send(frame.toString());
    }

    /** Sends {@code join} and returns the answer: {@code joined} or {@code error}. */
    JsonNode join(String sessionId, String userId, @Nullable String token) {
        ObjectNode j = Http.obj().put("action", "join").put("room_id", "customer-service/" + sessionId)
                .put("user_id", userId);
        if (token != null) {
            j.put("token", token);
        }
        send(j);
        return expectAny("joined", "error");
    }

    /** Sends a call action ({@code accept_call}, ...) as the protocol describes it. */
    void action(String action, String sessionId, String userId) {
        send(Http.obj().put("action", action).put("room_id", "customer-service/" + sessionId).put("user_id", userId));
    }

    /** Waits for the next frame with this action; earlier frames of other actions go to {@link #skipped}. */
    JsonNode expect(String action) {
        return expectAny(action);
    }

    /** Waits for the next frame with one of these actions. */
    JsonNode expectAny(String... actions) {
        return expectWithin(Duration.ofMillis(WAIT_MS), actions);
    }

    /** Waits, at most {@code wait}, for the next frame with one of these actions. */
    JsonNode expectWithin(Duration wait, String... actions) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            JsonNode f;
            try {
                f = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            if (f == null) {
                return fail(name + ": no frame " + List.of(actions) + " within " + wait.toMillis() + " ms; read past "
                        + skipped);
            }
            String a = f.path("action").asText();
            for (String want : actions) {
                if (want.equals(a)) {
                    return f;
                }
            }
            skipped.add(f);
        }
    }

    /** Waits for the next frame, whatever its action (frames skipped by an {@code expect} before are not re-read). */
    JsonNode next() {
        try {
            JsonNode f = frames.poll(WAIT_MS, TimeUnit.MILLISECONDS);
            return f != null ? f : fail(name + ": no frame within " + WAIT_MS + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Waits for an {@code error} frame and checks its code. */
    JsonNode expectError(String code) {
        JsonNode e = expect("error");
        assertEquals(code, e.path("code").asText(), () -> name + ": unexpected error " + e);
        return e;
    }

    /**
     * Sends a {@code ping} and returns every frame received before the {@code pong}: proves the connection
     * is up and, since the server answers in order, that nothing else was pending for this client.
     */
    List<JsonNode> sync() {
        send(Http.obj().put("action", "ping"));
        List<JsonNode> before = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (true) {
            long left = deadline - System.nanoTime();
            JsonNode f;
            try {
                f = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            if (f == null) {
                return fail(name + ": no pong within " + WAIT_MS + " ms; got " + before);
            }
            if ("pong".equals(f.path("action").asText())) {
                return before;
            }
            before.add(f);
        }
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (!closed) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        ws.abort();
    }

    @Override
    public String toString() {
        return name;
    }
}
