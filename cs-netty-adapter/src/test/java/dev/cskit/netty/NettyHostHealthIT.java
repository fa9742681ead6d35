/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cskit.api.CsConfig;
import dev.cskit.api.CustomerServicePlugin;
import dev.cskit.api.PluginContext;
import dev.cskit.api.health.Readiness;
import dev.cskit.api.metrics.Counter;
import dev.cskit.api.metrics.Histogram;
import dev.cskit.api.metrics.MeterRegistration;
import dev.cskit.api.metrics.Meters;
import dev.cskit.api.metrics.Tags;
import dev.cskit.api.room.JoinDecision;
import dev.cskit.api.room.JoinRequest;
import dev.cskit.api.room.RoomCallbacks;
import dev.cskit.api.room.RoomMessage;
import dev.cskit.api.room.RoomType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code /healthz}, {@code /readyz} and a drain of a {@link NettyHost} on a real loopback socket. */
@Timeout(60)
class NettyHostHealthIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final RoomType TYPE = new RoomType("health", 2, "health/");

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final Gauges gauges = new Gauges();
    final Part media = new Part();
    final Plugin plugin = new Plugin();
    NettyHost host;

    /** A component whose readiness a test sets. */
    static final class Part implements HostComponent {
        volatile Readiness readiness = Readiness.READY;

        @Override
        public String name() {
            return "part";
        }

        @Override
        public void start(NettyHost host) {
        }

        @Override
        public void close() {
        }

        @Override
        public Readiness readiness() {
            return readiness;
        }
    }

    /** A plugin whose readiness a test sets and whose drain waits until a test lets it go. */
    static final class Plugin implements CustomerServicePlugin, RoomCallbacks {
        volatile Readiness readiness = Readiness.READY;
        final CountDownLatch drainStarted = new CountDownLatch(1);
        final CountDownLatch letDrainEnd = new CountDownLatch(1);
        final List<String> events = new CopyOnWriteArrayList<>();
        volatile Duration grace;

        @Override
        public String name() {
            return "health-test";
        }

        @Override
        public void start(PluginContext context) {
            context.rooms().registerCallbacks(TYPE, this);
        }

        @Override
        public void drain(Duration grace) {
            this.grace = grace;
            events.add("drain");
            drainStarted.countDown();
            try {
                letDrainEnd.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void stop() {
            events.add("stop");
        }

        @Override
        public Readiness readiness() {
            return readiness;
        }

        @Override
        public JoinDecision onJoin(JoinRequest request) {
            return JoinDecision.accept();
        }

        @Override
        public void onMessage(RoomMessage message) {
        }
    }

    /** Keeps the gauges a host registers, to read them as a scrape would. */
    static final class Gauges implements Meters {
        final Map<String, DoubleSupplier> gauges = new ConcurrentHashMap<>();

        @Override
        public Counter counter(String name, String help, Tags tags) {
            return Meters.none().counter(name, help, tags);
        }

        @Override
        public MeterRegistration functionCounter(String name, String help, Tags tags, LongSupplier total) {
            return () -> { };
        }

        @Override
        public MeterRegistration gauge(String name, String help, Tags tags, DoubleSupplier value) {
            gauges.put(name, value);
            return () -> gauges.remove(name);
        }

        @Override
        public Histogram histogram(String name, String help, Tags tags, double... buckets) {
            return Meters.none().histogram(name, help, tags, buckets);
        }
    }

    @AfterEach
    void tearDown() {
        if (host != null) {
            host.close();
        }
    }

    private void startHost() throws IOException {
        host = NettyHost.newBuilder().bindAddress("127.0.0.1").port(0).staticRoot(null).component(media)
                .meters(gauges).build().start();
    }

    private record Reply(int status, JsonNode body) {
    }

    private Reply get(String path) throws Exception {
        var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.port() + path)).build(),
                BodyHandlers.ofString());
        return new Reply(r.statusCode(), JSON.readTree(r.body()));
    }

    private void assertNotReady(String reason) throws Exception {
        Reply r = get("/readyz");
        assertEquals(503, r.status(), r.body().toString());
        assertEquals(503, r.body().path("code").asInt());
        assertEquals("not ready: " + reason, r.body().path("message").asText());
    }

    private void assertReady() throws Exception {
        Reply r = get("/readyz");
        assertEquals(200, r.status(), r.body().toString());
        assertEquals("ready", r.body().path("data").path("status").asText());
    }

    @Test
    void readyOnlyOnceAPluginHasStartedAndEverythingIsReady() throws Exception {
        startHost();
        assertEquals(200, get("/healthz").status());
        assertEquals("alive", get("/healthz").body().path("data").path("status").asText());
        assertNotReady("no plugin has started");

        host.startPlugin(plugin, CsConfig.defaults());
        assertReady();

        media.readiness = Readiness.notReady("the media port udp/9 is not bound");
        assertNotReady("the media port udp/9 is not bound");
        media.readiness = Readiness.READY;
        plugin.readiness = Readiness.notReady("the session journal is closed");
        assertNotReady("the session journal is closed");
        plugin.readiness = Readiness.READY;
        assertReady();
        assertEquals(200, get("/healthz").status(), "alive whatever the readiness");
    }

    @Test
    void theRealMediaPortIsReadyOnlyWhileBound() throws Exception {
        UdpMediaPort udp = new UdpMediaPort(0, "127.0.0.1", UdpMediaPort.Transport.NIO);
        assertFalse(udp.readiness().ready(), "not bound before the host starts it");
        host = NettyHost.newBuilder().bindAddress("127.0.0.1").port(0).staticRoot(null).component(udp).build().start();
        host.startPlugin(plugin, CsConfig.defaults());
        assertReady();
        udp.close();
        assertNotReady("the media port udp/0 is not bound");
    }

    @Test
    void drainingAnswers503UntilThePluginsHaveDrainedThenCloses() throws Exception {
        startHost();
        host.startPlugin(plugin, CsConfig.defaults());
        assertReady();
        CompletableFuture<Void> drained = CompletableFuture.runAsync(() -> host.drain(Duration.ofSeconds(20)));
        assertTrue(plugin.drainStarted.await(20, TimeUnit.SECONDS));
        assertNotReady("draining: the server is shutting down");
        assertEquals(200, get("/healthz").status(), "the process is alive while it drains");
        assertFalse(drained.isDone());
        assertEquals(List.of("drain"), plugin.events, "the plugin drains; it is not stopped yet");
        assertTrue(plugin.grace.compareTo(Duration.ofSeconds(20)) <= 0 && plugin.grace.toSeconds() >= 10,
                "the plugin gets what is left of the grace: " + plugin.grace);

        plugin.letDrainEnd.countDown();
        drained.get(20, TimeUnit.SECONDS);
        assertEquals(List.of("drain", "stop"), plugin.events);
        assertFalse(host.readiness().ready());
    }

    @Test
    void webSocketConnectionsAreReadWhenScraped() throws Exception {
        startHost();
        host.startPlugin(plugin, CsConfig.defaults());
        DoubleSupplier open = gauges.gauges.get("cskit_websocket_connections");
        assertEquals(0, open.getAsDouble());
        WebSocket ws = http.newWebSocketBuilder().buildAsync(
                URI.create("ws://127.0.0.1:" + host.port() + "/room?type=" + TYPE.name()),
                new WebSocket.Listener() { }).get(10, TimeUnit.SECONDS);
        get("/healthz"); // an HTTP connection that is not a WebSocket
        while (open.getAsDouble() != 1) {
            Thread.onSpinWait(); // the upgrade completes on the server's event loop
        }
        ws.abort();
        while (open.getAsDouble() != 0) {
            Thread.onSpinWait();
        }
        host.close();
        assertFalse(gauges.gauges.containsKey("cskit_websocket_connections"), "close removes the host's gauge");
    }
}
