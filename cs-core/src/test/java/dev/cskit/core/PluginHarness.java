/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cskit.api.CsConfig;
import dev.cskit.api.PluginContext;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.http.HttpRequest;
import dev.cskit.api.http.HttpResponse;
import dev.cskit.core.http.RouteTable;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The plugin on a tiny in-memory host for tests: HTTP through {@link RouteTable}, rooms {@link FakeRoomService},
 * timers on a {@link ManualScheduler} (whose {@code execute} runs work inline, so the CPU and blocking executors
 * are the calling thread). Every JSON answer is checked to be an envelope.
 */
public final class PluginHarness implements AutoCloseable {

    public static final ObjectMapper JSON = new ObjectMapper();
    public static final String P = "/customer-service";

    public final MutableClock clock = new MutableClock();
    public final ManualScheduler scheduler = new ManualScheduler(clock);
    private final Supplier<CustomerService> pluginFactory;
    private CsConfig config;
    public FakeRoomService rooms;
    public RouteTable http;
    public CustomerService plugin;
    private final @Nullable String adminToken;

    /** An answer: status, the JSON body (null if not JSON) and the raw response. */
    public record Resp(int status, JsonNode body, HttpResponse raw) {
        public JsonNode data() {
            return body.get("data");
        }

        public String message() {
            return body.path("message").asText();
        }

        public Optional<String> header(String name) {
            return raw.headers().stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(h -> h.getValue())
                    .findFirst();
        }
    }

    public PluginHarness(CsConfig config, Supplier<CustomerService> pluginFactory) throws Exception {
        this.config = config;
        this.pluginFactory = pluginFactory;
        this.adminToken = config.adminToken().orElse(null);
        start();
    }

    private void start() throws Exception {
        rooms = new FakeRoomService(clock);
        http = new RouteTable();
        plugin = pluginFactory.get();
        plugin.start(PluginContext.newBuilder().rooms(rooms).http(http).scheduler(scheduler).clock(clock)
                .config(config).build());
    }

    /** Stops the plugin and starts a fresh one on the same configuration (and data directory). */
    public void restart() throws Exception {
        plugin.stop();
        start();
    }

    public CsConfig config() {
        return config;
    }

    public Resp call(String method, String path, @Nullable String body, @Nullable String bearer) {
        return call(method, path, body, bearer, "127.0.0.1");
    }

    public Resp call(String method, String path, @Nullable String body, @Nullable String bearer, String fromAddress) {
        HttpRequest.Builder b = HttpRequest.newBuilder(method, path).header("Host", "cs.test")
                .remoteAddress(new InetSocketAddress(fromAddress, 40000));
        if (body != null) {
            b.body(body).header("Content-Type", "application/json");
        }
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return answer(http.handle(b.build()));
    }

    public Resp raw(HttpRequest request) {
        return answer(http.handle(request));
    }

    private static Resp answer(HttpResponse r) {
        JsonNode n = null;
        if (r.contentType().startsWith("application/json")) {
            try {
                n = JSON.readTree(r.bodyAsString());
            } catch (java.io.IOException e) {
                throw new AssertionError("not JSON: " + r.bodyAsString(), e);
            }
            if (r.status() == 200) {
                assertEquals(0, n.get("code").asInt(), n.toString());
            } else {
                assertEquals(r.status(), n.get("code").asInt(), n.toString());
                assertFalse(n.path("message").asText().isBlank(), n.toString());
            }
        }
        return new Resp(r.status(), n, r);
    }

    public Resp admin(String method, String path, @Nullable String body) {
        return call(method, path, body, adminToken);
    }

    @Override
    public void close() {
        plugin.stop();
        scheduler.shutdownNow();
    }
}
