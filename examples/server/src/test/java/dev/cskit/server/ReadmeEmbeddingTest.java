/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import dev.cskit.api.CsConfig;
import dev.cskit.api.CustomerServicePlugin;
import dev.cskit.api.PluginContext;
import dev.cskit.api.http.HttpRequest;
import dev.cskit.api.http.HttpResponse;
import dev.cskit.api.http.HttpRoutes;
import dev.cskit.api.room.RoomCallbacks;
import dev.cskit.api.room.RoomService;
import dev.cskit.api.room.RoomType;
import dev.cskit.core.http.RouteTable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's embedding sample, compiled and run: it must stay true. */
class ReadmeEmbeddingTest {

    /** Stands in for a host engine: what the README's sample calls on "engine". */
    static final class Engine {
        final RoomService rooms = mock(RoomService.class);
        final RouteTable routes = new RouteTable();
        final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        final ExecutorService blocking = Executors.newCachedThreadPool();

        RoomService roomService() {
            return rooms;
        }

        HttpRoutes httpRoutes() {
            return routes;
        }

        ScheduledExecutorService scheduler() {
            return scheduler;
        }

        ExecutorService blockingPool() {
            return blocking;
        }
    }

    @TempDir
    Path dataDir;

    @Test
    void embeddingSampleStartsThePluginThroughTheSpi() throws Exception {
        Engine engine = new Engine();
        Path dir = dataDir;
        try {
            // --- README: embedding (begin)
            CustomerServicePlugin plugin = CustomerServicePlugin.load(); // cs-core, found by ServiceLoader
            plugin.start(PluginContext.newBuilder()
                    .rooms(engine.roomService())     // your engine's rooms: join/leave/send/broadcast
                    .http(engine.httpRoutes())       // where cskit mounts /customer-service/* and /webrtc/*
                    .scheduler(engine.scheduler())   // timers run here: cskit starts no threads of its own
                    .blockingExecutor(engine.blockingPool()) // journal writes of timed work, DTLS handshakes
                    .clock(Clock.systemUTC())
                    .config(CsConfig.newBuilder().maxSessions(500).dataDir(dir).build())
                    // .media(yourUdpSockets)        // a MediaTransport (one socket per media loop): WHIP/WHEP media too
                    .build());
            // ... serve ...
            plugin.stop();                           // ends calls in progress, flushes the journal
            // --- README: embedding (end)

            verify(engine.rooms).registerCallbacks(eq(RoomType.CUSTOMER_SERVICE), any(RoomCallbacks.class));
            verify(engine.rooms).unregisterCallbacks(RoomType.CUSTOMER_SERVICE);
            assertEquals(0, engine.routes.size(), "stop unmounts every route");
        } finally {
            engine.scheduler.shutdownNow();
            engine.blocking.shutdownNow();
        }
    }

    @Test
    void mountedRoutesAnswerTheSeedsCreateCall() throws Exception {
        Engine engine = new Engine();
        CustomerServicePlugin plugin = CustomerServicePlugin.load();
        try {
            plugin.start(PluginContext.newBuilder().rooms(engine.roomService()).http(engine.httpRoutes())
                    .scheduler(engine.scheduler()).config(CsConfig.newBuilder().dataDir(null).build()).build());
            HttpResponse r = engine.routes.handle(HttpRequest.newBuilder("POST", "/customer-service/sessions")
                    .header("Content-Type", "application/json")
                    .body("{\"title\": \"After-sales inquiry\", \"customer_name\": \"John\"}").build());
            assertEquals(200, r.status());
            assertTrue(r.bodyAsString().startsWith("{\"code\":0,\"data\":{\"id\":\"cs_"), r.bodyAsString());
        } finally {
            plugin.stop();
            engine.scheduler.shutdownNow();
        }
    }

    @Test
    void readmeShowsThisSampleVerbatim() throws Exception {
        String test = Files.readString(Path.of("src/test/java/dev/cskit/server/ReadmeEmbeddingTest.java"),
                StandardCharsets.UTF_8);
        String begin = "// --- README: embedding (begin)\n";
        int from = test.indexOf(begin) + begin.length();
        int to = test.indexOf("            // --- README: embedding (end)");
        StringBuilder sample = new StringBuilder();
        for (String line : test.substring(from, to).split("\n")) {
            sample.append(line.length() >= 12 ? line.substring(12) : line.strip()).append('\n');
        }
        String readme = Files.readString(Path.of("..", "..", "README.md"), StandardCharsets.UTF_8);
        assertTrue(readme.contains(sample.toString()), "README.md must contain the embedding sample:\n" + sample);
    }
}
