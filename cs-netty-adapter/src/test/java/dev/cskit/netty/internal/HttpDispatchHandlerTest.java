/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cskit.api.http.HttpRequest;
import dev.cskit.api.http.HttpResponse;
import dev.cskit.api.http.RouteMatcher;
import dev.cskit.api.room.RoomCallbacks;
import dev.cskit.api.room.RoomType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The whole HTTP pipeline of a connection on an {@link EmbeddedChannel}, fed raw bytes. */
class HttpDispatchHandlerTest {

    /** A parsed HTTP/1.1 response. */
    record Resp(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        JsonNode json() {
            return Json.parse(body);
        }
    }

    RouteMatcher routes;
    RoomRegistry rooms;
    Executor executor = Runnable::run;
    EmbeddedChannel ch;
    final AtomicReference<HttpRequest> lastRequest = new AtomicReference<>();

    @BeforeEach
    void setUp() {
        routes = new RouteMatcher();
        rooms = new RoomRegistry(new SerialStripes(2, i -> Runnable::run), Clock.systemUTC());
        routes.add("GET", "/api/items/{id}", req -> {
            lastRequest.set(req);
            return HttpResponse.json(200, "{\"code\":0,\"data\":\"" + req.pathParam("id") + "\"}")
                    .withHeader("ETag", "\"v1\"");
        });
        routes.add("POST", "/api/items", req -> {
            lastRequest.set(req);
            return HttpResponse.json(201, "{\"code\":0,\"data\":" + req.bodyLength() + "}");
        });
        routes.add("GET", "/api/boom", req -> {
            throw new IllegalStateException("handler bug");
        });
        routes.add("GET", "/index.html", req -> HttpResponse.of(200, "text/plain", "from route".getBytes(StandardCharsets.UTF_8)));
        open();
    }

    void open() {
        HostSettings s = new HostSettings(routes, rooms,
                new StaticFiles(getClass().getClassLoader(), "/webtest"), r -> executor.execute(r),
                64 * 1024, 64 * 1024, Duration.ofSeconds(60), Clock.systemUTC(), ConcurrentHashMap.newKeySet());
        ch = new EmbeddedChannel(new HostChannelInitializer(s));
    }

    @AfterEach
    void tearDown() {
        ch.finishAndReleaseAll();
    }

    /** Writes raw request bytes and parses every response that came out. */
    List<Resp> exchange(String raw) {
        return exchange(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    List<Resp> exchange(byte[] raw) {
        ch.writeInbound(Unpooled.wrappedBuffer(raw));
        return readResponses();
    }

    List<Resp> readResponses() {
        StringBuilder all = new StringBuilder();
        Object o;
        while ((o = ch.readOutbound()) != null) {
            ByteBuf b = (ByteBuf) o;
            try {
                all.append(b.toString(StandardCharsets.UTF_8));
            } finally {
                b.release();
            }
        }
        List<Resp> out = new ArrayList<>();
        String rest = all.toString();
        while (!rest.isEmpty()) {
            int end = rest.indexOf("\r\n\r\n");
            String[] lines = rest.substring(0, end).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int c = lines[i].indexOf(':');
                headers.merge(lines[i].substring(0, c).trim().toLowerCase(Locale.ROOT), lines[i].substring(c + 1).trim(),
                        (a, b) -> a + ", " + b);
            }
            int len = headers.containsKey("content-length") ? Integer.parseInt(headers.get("content-length")) : 0;
            if (status == 101 || status == 100) {
                len = 0;
            }
            String body = rest.substring(end + 4, end + 4 + len);
            out.add(new Resp(status, headers, body));
            rest = rest.substring(end + 4 + len);
        }
        return out;
    }

    Resp one(String raw) {
        List<Resp> r = exchange(raw);
        assertEquals(1, r.size(), r.toString());
        Resp resp = r.get(0);
        assertEquals("*", resp.header("Access-Control-Allow-Origin"), "every response allows any origin");
        // RFC 9110 §8.6: a 204 must not carry Content-Length; every other response does.
        assertEquals(resp.status() != 204, resp.headers().containsKey("content-length"), resp.toString());
        return resp;
    }

    static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: test\r\n\r\n";
    }

    @Test
    void routesRequestWithPathParamsQueryAndHeaders() {
        Resp r = one("GET /api/items/42?q=a%20b&q=c&page=2 HTTP/1.1\r\nHost: test\r\nX-Custom: yes\r\n\r\n");
        assertEquals(200, r.status());
        assertEquals("42", r.json().path("data").asText());
        assertEquals("\"v1\"", r.header("ETag"));
        assertTrue(r.header("Content-Type").startsWith("application/json"));
        HttpRequest req = lastRequest.get();
        assertEquals("GET", req.method());
        assertEquals("/api/items/42", req.path());
        assertEquals(List.of("a b", "c"), req.queryParams().get("q"));
        assertEquals("2", req.queryParam("page").orElseThrow());
        assertEquals("yes", req.header("x-custom").orElseThrow());
        assertTrue(req.fromLoopback());
    }

    @Test
    void postBodyReachesTheHandler() {
        Resp r = one("POST /api/items HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"a\":\"bcd\"}");
        assertEquals(201, r.status());
        assertEquals("{\"a\":\"bcd\"}", lastRequest.get().bodyAsString());
    }

    @Test
    void unknownPathIs404Envelope() {
        Resp r = one(get("/api/nothing"));
        assertEquals(404, r.status());
        assertEquals(404, r.json().path("code").asInt());
        assertFalse(r.json().path("message").asText().isEmpty());
    }

    @Test
    void otherMethodOnRouteIs405WithAllow() {
        Resp r = one("DELETE /api/items/42 HTTP/1.1\r\nHost: test\r\nContent-Length: 0\r\n\r\n");
        assertEquals(405, r.status());
        assertEquals(405, r.json().path("code").asInt());
        assertTrue(r.header("Allow").contains("GET"), r.header("Allow"));
    }

    @Test
    void oversizedBodyIs413EnvelopeAndConnectionStaysUsable() {
        int size = 64 * 1024 + 1;
        String head = "POST /api/items HTTP/1.1\r\nHost: test\r\nContent-Length: " + size + "\r\n\r\n";
        Resp r = one(head + "x".repeat(size));
        assertEquals(413, r.status());
        assertEquals("{\"code\":413,\"message\":\"request body exceeds 65536 bytes\"}", r.body());
        assertNull(lastRequest.get(), "the handler never sees an oversized body");
        assertEquals(200, one(get("/api/items/1")).status());
    }

    @Test
    void bodyOfExactlyTheLimitIsAccepted() {
        int size = 64 * 1024;
        Resp r = one("POST /api/items HTTP/1.1\r\nHost: test\r\nContent-Length: " + size + "\r\n\r\n" + "y".repeat(size));
        assertEquals(201, r.status());
        assertEquals(size, lastRequest.get().bodyLength());
    }

    @Test
    void expectContinueTooLargeIs413BeforeTheBody() {
        Resp r = one("POST /api/items HTTP/1.1\r\nHost: test\r\nExpect: 100-continue\r\nContent-Length: 100000\r\n\r\n");
        assertEquals(413, r.status());
        assertEquals(413, r.json().path("code").asInt());
        assertFalse(ch.isOpen());
    }

    @Test
    void expectContinueWithinLimitGets100ThenTheAnswer() {
        List<Resp> r = exchange("POST /api/items HTTP/1.1\r\nHost: test\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
        assertEquals(1, r.size());
        assertEquals(100, r.get(0).status());
        List<Resp> rest = exchange("{}");
        assertEquals(201, rest.get(0).status());
        assertTrue(lastRequest.get().header("expect").isEmpty());
    }

    @Test
    void handlerExceptionIs500Envelope() {
        Resp r = one(get("/api/boom"));
        assertEquals(500, r.status());
        assertEquals("{\"code\":500,\"message\":\"internal error\"}", r.body());
    }

    @Test
    void optionsOnAnyPathIsPreflight() {
        Resp r = one("OPTIONS /anything/at/all HTTP/1.1\r\nHost: test\r\nOrigin: http://x\r\n"
                + "Access-Control-Request-Method: PATCH\r\n\r\n");
        assertEquals(204, r.status());
        assertEquals("GET, POST, PATCH, DELETE, OPTIONS", r.header("Access-Control-Allow-Methods"));
        assertEquals("Authorization, Content-Type, If-Match", r.header("Access-Control-Allow-Headers"));
        assertEquals("Location, ETag, Link", r.header("Access-Control-Expose-Headers"));
    }

    @Test
    void staticFilesComeFromTheClassPathRoot() {
        Resp root = one(get("/"));
        assertEquals(200, root.status());
        assertEquals("text/html; charset=utf-8", root.header("Content-Type"));
        assertTrue(root.body().contains("demo"));
        Resp admin = one(get("/admin/"));
        assertTrue(admin.body().contains("admin"));
        Resp js = one(get("/sdk/x.js"));
        assertEquals("text/javascript; charset=utf-8", js.header("Content-Type"));
        assertEquals("export const x = 1;\n", js.body());
        assertEquals("text/css; charset=utf-8", one(get("/style.css")).header("Content-Type"));
        Resp redirect = one(get("/admin"));
        assertEquals(301, redirect.status());
        assertEquals("/admin/", redirect.header("Location"));
        Resp missing = one(get("/nope.png"));
        assertEquals(404, missing.status());
        assertEquals(404, missing.json().path("code").asInt());
        assertEquals(404, one(get("/sdk")).status(), "a folder without index.html is not served");
    }

    @Test
    void traversalOutOfTheRootIsRefused() {
        for (String path : List.of("/../secret.txt", "/sdk/../../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt",
                "/sdk/%2E%2E/%2E%2E/secret.txt", "/.\\..\\secret.txt")) {
            Resp r = one(get(path));
            assertEquals(400, r.status(), path);
            assertFalse(r.body().contains("secret\n"), path);
        }
    }

    @Test
    void routesTakePrecedenceOverStaticFiles() {
        assertEquals("from route", one(get("/index.html")).body());
    }

    @Test
    void keepAliveServesSeveralRequestsOnOneConnection() {
        assertEquals(200, one(get("/api/items/1")).status());
        assertEquals(404, one(get("/x")).status());
        assertTrue(ch.isOpen());
        Resp last = one("GET /api/items/2 HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
        assertEquals("close", last.header("Connection"));
        assertFalse(ch.isOpen());
    }

    @Test
    void malformedRequestIs400AndCloses() {
        Resp r = one("GET /x HTTP/1.1\r\nHost: test\r\nContent-Length: nope\r\n\r\n");
        assertEquals(400, r.status());
        assertEquals(400, r.json().path("code").asInt());
        assertFalse(ch.isOpen());
    }

    @Test
    void idleKeepAliveConnectionIsClosed() {
        assertEquals(200, one(get("/api/items/1")).status());
        ch.advanceTimeBy(HostChannelInitializer.HTTP_IDLE_SECONDS - 1, java.util.concurrent.TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertTrue(ch.isOpen());
        ch.advanceTimeBy(2, java.util.concurrent.TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertFalse(ch.isOpen());
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() {
        Queue<Runnable> pending = new ArrayDeque<>();
        executor = pending::add;
        List<Resp> none = exchange(get("/api/items/1") + get("/x") + get("/api/items/3"));
        assertTrue(none.isEmpty(), "nothing is answered while the first request is in flight");
        Runnable task;
        List<Resp> all = new ArrayList<>();
        while ((task = pending.poll()) != null) {
            task.run();
            all.addAll(readResponses());
        }
        assertEquals(List.of(200, 404, 200), all.stream().map(Resp::status).toList());
        assertEquals("1", all.get(0).json().path("data").asText());
        assertEquals("3", all.get(2).json().path("data").asText());
        assertTrue(ch.config().isAutoRead(), "reading resumes once the queue is empty");
    }

    @Test
    void fullExecutorIs503() {
        executor = r -> {
            throw new java.util.concurrent.RejectedExecutionException("full");
        };
        assertEquals(503, one(get("/api/items/1")).status());
    }

    @Test
    void roomUpgradeWithUnknownTypeIs400() {
        Resp r = one(upgrade("/room?type=nope"));
        assertEquals(400, r.status());
        assertTrue(r.json().path("message").asText().contains("nope"));
    }

    @Test
    void plainGetOnRoomIs400() {
        assertEquals(400, one(get("/room?type=test")).status());
    }

    @Test
    void roomUpgradeSwitchesToTheRoomProtocol() {
        rooms.registerCallbacks(new RoomType("test", 2, "test/"), new RoomCallbacks() {
        });
        List<Resp> r = exchange(upgrade("/room?type=test"));
        assertEquals(101, r.get(0).status());
        // RFC 6455 §1.3 example key and accept value.
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", r.get(0).header("Sec-WebSocket-Accept"));
        assertTrue(ch.pipeline().get(RoomSocketHandler.class) != null);
        assertNull(ch.pipeline().get("http-idle"), "the room socket has its own heartbeat instead");
        assertNull(ch.pipeline().get(HttpDispatchHandler.class));
        // A masked client text frame (RFC 6455 §5.7 "Hello" example): not JSON, so an error frame comes back.
        byte[] hello = {(byte) 0x81, (byte) 0x85, 0x37, (byte) 0xfa, 0x21, 0x3d, 0x7f, (byte) 0x9f, 0x4d, 0x51, 0x58};
        ch.writeInbound(Unpooled.wrappedBuffer(hello));
        ByteBuf out = ch.readOutbound();
        try {
            // Server frames are unmasked: 0x81, length, then the JSON text.
            assertEquals(0x81, out.getUnsignedByte(0));
            String text = out.toString(2, out.readableBytes() - 2, StandardCharsets.UTF_8);
            assertEquals("bad_request", Json.parse(text).path("code").asText());
        } finally {
            out.release();
        }
    }

    @Test
    void oversizedWebSocketFrameClosesWith1009() {
        rooms.registerCallbacks(new RoomType("test", 2, "test/"), new RoomCallbacks() {
        });
        exchange(upgrade("/room?type=test"));
        // Header of a masked text frame announcing 70000 bytes (64-bit length form, RFC 6455 §5.2).
        ByteBuf frame = Unpooled.buffer();
        frame.writeByte(0x81).writeByte(0x80 | 127).writeLong(70000).writeInt(0x01020304);
        ch.writeInbound(frame);
        Object o;
        boolean sawClose = false;
        while ((o = ch.readOutbound()) != null) {
            ByteBuf b = (ByteBuf) o;
            try {
                if (b.readableBytes() >= 4 && b.getUnsignedByte(0) == 0x88) {
                    assertEquals(1009, b.getUnsignedShort(2));
                    sawClose = true;
                }
            } finally {
                b.release();
            }
        }
        assertTrue(sawClose);
        assertFalse(ch.isOpen());
        assertNull(ch.readInbound(), "no frame reached the room handler");
    }

    static String upgrade(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    }
}
