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
import dev.cskit.netty.stats.HostCounter;
import dev.cskit.netty.stats.HostCounters;
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
import java.util.concurrent.TimeUnit;
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
        routes.add("OPTIONS", "/api/items", req -> HttpResponse.of(204, "text/plain", new byte[0])
                .withHeader("Link", "<stun:stun.example.net>; rel=\"ice-server\""));
        routes.add("GET", "/api/boom", req -> {
            throw new IllegalStateException("handler bug");
        });
        routes.add("GET", "/index.html", req -> HttpResponse.of(200, "text/plain", "from route".getBytes(StandardCharsets.UTF_8)));
        open();
    }

    BrowserPolicy browser = new BrowserPolicy();
    TrustedProxies proxies = TrustedProxies.NONE;
    final HostCounters counters = new HostCounters();
    int httpsPort;

    void open() {
        ch = new EmbeddedChannel(new HostChannelInitializer(settings(), false));
    }

    HostSettings settings() {
        return new HostSettings(routes, rooms,
                new StaticFiles(getClass().getClassLoader(), "/webtest"), r -> executor.execute(r),
                64 * 1024, 64 * 1024, Duration.ofSeconds(60), Clock.systemUTC(), ConcurrentHashMap.newKeySet(),
                Duration.ofSeconds(10), Duration.ofSeconds(30), browser, proxies, counters, null, () -> httpsPort);
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
        assertNull(resp.header("Access-Control-Allow-Origin"), "no origin is allowed unless configured");
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
    void optionsFromAConfiguredOriginIsAPreflightForThatOrigin() {
        browser.allow(List.of("http://x"), List.of());
        List<Resp> rs = exchange("OPTIONS /anything/at/all HTTP/1.1\r\nHost: test\r\nOrigin: http://x\r\n"
                + "Access-Control-Request-Method: PATCH\r\n\r\n");
        Resp r = rs.get(0);
        assertEquals(204, r.status());
        assertEquals("http://x", r.header("Access-Control-Allow-Origin"));
        assertEquals("GET, POST, PATCH, DELETE, OPTIONS", r.header("Access-Control-Allow-Methods"));
        assertEquals("Authorization, Content-Type, If-Match", r.header("Access-Control-Allow-Headers"));
        assertEquals("Location, ETag, Link, Cskit-Ice-Transport-Policy", r.header("Access-Control-Expose-Headers"));
        assertEquals("Origin", r.header("Vary"));
    }

    @Test
    void optionsFromAnyOtherOriginGetsNoCorsHeaders() {
        browser.allow(List.of("http://x"), List.of());
        Resp r = one("OPTIONS /api/items HTTP/1.1\r\nHost: test\r\nOrigin: https://evil.example\r\n"
                + "Access-Control-Request-Method: POST\r\n\r\n");
        assertEquals(204, r.status());
        assertNull(r.header("Access-Control-Allow-Methods"));
        assertEquals("GET, POST, PATCH, DELETE, OPTIONS", r.header("Allow"));
    }

    @Test
    void anOptionsRouteAnswersAPlainOptionsButNotAPreflight() {
        Resp plain = one("OPTIONS /api/items HTTP/1.1\r\nHost: test\r\n\r\n");
        assertEquals(204, plain.status());
        assertEquals("<stun:stun.example.net>; rel=\"ice-server\"", plain.header("Link"), "the route's own answer");
        Resp preflight = one("OPTIONS /api/items HTTP/1.1\r\nHost: test\r\nOrigin: http://x\r\n"
                + "Access-Control-Request-Method: POST\r\n\r\n");
        assertNull(preflight.header("Link"), "a CORS preflight is answered by the host");
        assertEquals("GET, POST, PATCH, DELETE, OPTIONS", preflight.header("Allow"));
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
    void tooManyPipelinedRequestsCloseTheConnectionAndAreCounted() {
        Queue<Runnable> pending = new ArrayDeque<>();
        executor = pending::add;
        exchange(get("/api/items/1").repeat(HttpDispatchHandler.MAX_QUEUED + 2));
        assertFalse(ch.isOpen());
        assertEquals(1, counters.get(HostCounter.PIPELINE_OVERFLOW));
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

    // ---------------------------------------------------------------- parse errors (issue 12: 4, 9, 10)

    @Test
    void malformedEscapeInTheQueryIs400EnvelopeAndTheConnectionStays() {
        Resp r = one(get("/api/items/1?status=%ZZ"));
        assertEquals(400, r.status());
        assertEquals(400, r.json().path("code").asInt());
        assertTrue(r.json().path("message").asText().contains("%-escape"), r.body());
        assertNull(lastRequest.get());
        assertEquals(1, counters.get(HostCounter.BAD_REQUEST));
        assertEquals(200, one(get("/api/items/2")).status(), "the connection is still usable");
    }

    @Test
    void malformedEscapeInThePathIs400Envelope() {
        for (String path : List.of("/api/items/%ZZ", "/api/items/%", "/sdk/%4", "/%zz/x.js")) {
            Resp r = one(get(path));
            assertEquals(400, r.status(), path);
            assertEquals(400, r.json().path("code").asInt(), path);
        }
    }

    @Test
    void malformedEscapeInTheRoomUpgradeIs400Envelope() {
        rooms.registerCallbacks(new RoomType("test", 2, "test/"), new RoomCallbacks() {
        });
        Resp r = one(upgrade("/room?type=%ZZ"));
        assertEquals(400, r.status());
        assertEquals(400, r.json().path("code").asInt());
        assertNull(ch.pipeline().get(RoomSocketHandler.class));
    }

    @Test
    void anHttpVersionOtherThan1xIs505AndCloses() {
        for (String version : List.of("HTTP/3.7", "HTTP/2.0", "HTTP/0.9")) {
            open();
            Resp r = one("GET /api/items/1 " + version + "\r\nHost: test\r\n\r\n");
            assertEquals(505, r.status(), version);
            assertEquals(505, r.json().path("code").asInt());
            assertTrue(r.json().path("message").asText().contains(version), r.body());
            assertFalse(ch.isOpen());
            assertNull(lastRequest.get(), "the route never ran");
        }
        assertEquals(3, counters.get(HostCounter.VERSION_NOT_SUPPORTED));
    }

    @Test
    void http10IsStillServed() {
        Resp r = one("GET /api/items/7 HTTP/1.0\r\nHost: test\r\n\r\n");
        assertEquals(200, r.status());
    }

    @Test
    void anOversizedRequestLineIs414Envelope() {
        Resp r = one(get("/api/items/" + "a".repeat(HostChannelInitializer.MAX_INITIAL_LINE + 10)));
        assertEquals(414, r.status());
        assertEquals(414, r.json().path("code").asInt());
        assertFalse(ch.isOpen());
        assertEquals(1, counters.get(HostCounter.URI_TOO_LONG));
    }

    @Test
    void oversizedHeadersAre431Envelope() {
        Resp r = one("GET /api/items/1 HTTP/1.1\r\nHost: test\r\nX-Big: "
                + "b".repeat(HostChannelInitializer.MAX_HEADER_BYTES + 10) + "\r\n\r\n");
        assertEquals(431, r.status());
        assertEquals(431, r.json().path("code").asInt());
        assertFalse(ch.isOpen());
        assertEquals(1, counters.get(HostCounter.HEADERS_TOO_LARGE));
    }

    @Test
    void headersTrickledBytePastTheDeadlineGet408() {
        // One byte a second: an idle timer would be reset by each and never fire.
        String head = get("/api/items/1");
        List<Resp> got = List.of();
        int i = 0;
        for (; i < head.length() - 2 && got.isEmpty(); i++) {
            got = exchange(head.substring(i, i + 1));
            ch.advanceTimeBy(1, TimeUnit.SECONDS);
            ch.runScheduledPendingTasks();
            got = got.isEmpty() ? readResponses() : got;
        }
        assertEquals(1, got.size(), "answered once the header deadline passed");
        assertEquals(408, got.get(0).status());
        assertEquals(408, got.get(0).json().path("code").asInt());
        assertTrue(got.get(0).json().path("message").asText().contains("headers"), got.get(0).body());
        assertTrue(i <= 11, "within the 10 s deadline, after " + i + " s");
        assertFalse(ch.isOpen());
        assertEquals(1, counters.get(HostCounter.REQUEST_TIMEOUT));
        assertNull(lastRequest.get());
    }

    @Test
    void aBodyTrickledPastItsDeadlineGets408() {
        assertTrue(exchange("POST /api/items HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
                + "Content-Length: 100\r\n\r\n{").isEmpty());
        List<Resp> got = List.of();
        for (int s = 0; s < 40 && got.isEmpty(); s++) {
            exchange(" ");
            ch.advanceTimeBy(1, TimeUnit.SECONDS);
            ch.runScheduledPendingTasks();
            got = readResponses();
        }
        assertEquals(408, got.get(0).status());
        assertTrue(got.get(0).json().path("message").asText().contains("body"), got.get(0).body());
        assertFalse(ch.isOpen());
        assertNull(lastRequest.get());
    }

    @Test
    void aSlowHandlerIsNotTheClientsDeadline() {
        Queue<Runnable> pending = new ArrayDeque<>();
        executor = pending::add;
        // The second request's bytes wait while the first is being answered; reading is paused meanwhile.
        assertTrue(exchange(get("/api/items/1") + "GET /api/items/2 HTTP/1.1\r\nHo").isEmpty());
        ch.advanceTimeBy(60, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertTrue(ch.isOpen());
        pending.poll().run();
        assertEquals(200, readResponses().get(0).status());
        assertEquals(0, counters.get(HostCounter.REQUEST_TIMEOUT));
    }

    @Test
    void aCompleteRequestStopsItsDeadline() {
        assertEquals(200, one(get("/api/items/1")).status());
        ch.advanceTimeBy(60, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertTrue(ch.isOpen(), "an idle keep-alive connection is the idle timer's, not a deadline's");
        assertTrue(readResponses().isEmpty());
    }

    // ---------------------------------------------------------------- browsers (issue 12: 2)

    static String post(String path, String... headers) {
        String body = "{\"a\":1}";
        return "POST " + path + " HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
                + String.join("", List.of(headers).stream().map(h -> h + "\r\n").toList())
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    @Test
    void aStateChangingRequestFromAPageOfAnotherSiteIs403AndNeverRuns() {
        for (String m : List.of("POST", "PUT", "PATCH", "DELETE")) {
            Resp r = one(post("/api/items", "Origin: https://evil.example").replaceFirst("POST", m));
            assertEquals(403, r.status(), m);
            assertEquals(403, r.json().path("code").asInt());
            assertTrue(r.json().path("message").asText().contains("cors_origins"), r.body());
        }
        assertNull(lastRequest.get(), "no route ran");
        assertEquals(4, counters.get(HostCounter.CROSS_SITE_REFUSED));
        assertEquals(403, one(post("/api/items", "Origin: null")).status(), "an opaque origin is another site");
    }

    @Test
    void sameOriginPagesAndClientsWithoutOriginMayPost() {
        assertEquals(201, one(post("/api/items", "Origin: http://test")).status());
        assertEquals(201, one(post("/api/items")).status(), "curl sends no Origin");
        assertEquals(403, one(post("/api/items", "Origin: https://test")).status(), "another scheme is another origin");
        assertEquals(403, one(post("/api/items", "Origin: http://test:8080")).status(), "another port too");
    }

    @Test
    void theServersPublicOriginMayPostThroughAHostNameThatDiffers() {
        browser.allow(List.of(), List.of("https://cs.example.com"));
        assertEquals(201, one(post("/api/items", "Origin: https://cs.example.com")).status());
    }

    @Test
    void aForeignOriginReadsNoAllowOriginHeader() {
        browser.allow(List.of("https://app.example.com"), List.of());
        Resp r = one("GET /api/items/1 HTTP/1.1\r\nHost: test\r\nOrigin: https://evil.example\r\n\r\n");
        assertEquals(200, r.status());
        assertNull(r.header("Access-Control-Allow-Origin"));
        assertEquals("Origin", r.header("Vary"), "caches must not mix answers for different origins");
    }

    @Test
    void aConfiguredOriginGetsItsOwnOriginBackAndMayPost() {
        browser.allow(List.of("https://app.example.com"), List.of());
        List<Resp> rs = exchange("GET /api/items/1 HTTP/1.1\r\nHost: test\r\nOrigin: https://app.example.com\r\n\r\n");
        assertEquals("https://app.example.com", rs.get(0).header("Access-Control-Allow-Origin"));
        assertEquals("Location, ETag, Link, Cskit-Ice-Transport-Policy", rs.get(0).header("Access-Control-Expose-Headers"));
        List<Resp> p = exchange(post("/api/items", "Origin: https://app.example.com"));
        assertEquals(201, p.get(0).status());
        assertEquals("https://app.example.com", p.get(0).header("Access-Control-Allow-Origin"));
    }

    // ---------------------------------------------------------------- proxies and HTTPS (issue 11: 1)

    @Test
    void aTrustedProxyNamesTheClientSchemeAndHost() {
        proxies = TrustedProxies.parse(List.of("127.0.0.0/8")); // the embedded channel's peer counts as 127.0.0.1
        open();
        Resp r = one(post("/api/items", "X-Forwarded-For: 203.0.113.5, 127.0.0.1", "X-Forwarded-Proto: https",
                "X-Forwarded-Host: cs.example.com", "Origin: https://cs.example.com"));
        assertEquals(201, r.status(), "the page's origin is the one the client used, through the proxy");
        HttpRequest req = lastRequest.get();
        assertEquals("203.0.113.5", req.remoteAddress().getAddress().getHostAddress());
        assertTrue(req.peerAddress().getAddress().isLoopbackAddress());
        assertEquals("https", req.scheme());
        assertEquals("cs.example.com", req.authority().orElseThrow());
        assertTrue(req.proxied());
        assertFalse(req.fromLoopback());
    }

    @Test
    void forwardingHeadersFromAnUntrustedPeerAreIgnoredButMarkTheRequestProxied() {
        Resp r = one("GET /api/items/1 HTTP/1.1\r\nHost: test\r\nX-Forwarded-For: 203.0.113.5\r\n"
                + "X-Forwarded-Proto: https\r\nX-Forwarded-Host: evil.example\r\n\r\n");
        assertEquals(200, r.status());
        HttpRequest req = lastRequest.get();
        assertTrue(req.fromLoopback());
        assertEquals("http", req.scheme());
        assertEquals("test", req.authority().orElseThrow());
        assertTrue(req.proxied(), "the loopback admin shortcut must not apply");
    }

    @Test
    void plainHttpOnAnHttpsHostIsRedirectedToTheSameHostAndTarget() {
        httpsPort = 8443;
        open();
        Resp r = one("GET /api/items/1?x=%2F HTTP/1.1\r\nHost: cs.test:8080\r\n\r\n");
        assertEquals(301, r.status());
        assertEquals("https://cs.test:8443/api/items/1?x=%2F", r.header("Location"));
        assertEquals(301, r.json().path("code").asInt());
        assertNull(lastRequest.get(), "no route runs on plain HTTP");
        Resp p = one(post("/api/items"));
        assertEquals(308, p.status(), "a POST keeps its method and body");
        assertEquals("https://test:8443/api/items", p.header("Location"));
        httpsPort = 443;
        assertEquals("https://[::1]/", one("GET / HTTP/1.1\r\nHost: [::1]:80\r\n\r\n").header("Location"));
        assertEquals(400, one("GET / HTTP/1.1\r\nHost: a/b\r\n\r\n").status());
    }

    // ---------------------------------------------------------------- room socket (issue 12: 7, 10)

    @Test
    void aTextFrameThatIsNotUtf8ClosesWith1007() {
        rooms.registerCallbacks(new RoomType("test", 2, "test/"), new RoomCallbacks() {
        });
        exchange(upgrade("/room?type=test"));
        byte[] payload = {(byte) 0xc3, 0x28}; // RFC 3629: a lead byte followed by no continuation byte
        byte[] mask = {1, 2, 3, 4};
        ByteBuf frame = Unpooled.buffer();
        frame.writeByte(0x81).writeByte(0x80 | payload.length).writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.writeByte(payload[i] ^ mask[i % 4]);
        }
        ch.writeInbound(frame);
        Integer code = null;
        Object o;
        while ((o = ch.readOutbound()) != null) {
            ByteBuf b = (ByteBuf) o;
            try {
                if (b.readableBytes() >= 4 && b.getUnsignedByte(0) == 0x88) {
                    code = b.getUnsignedShort(2);
                }
            } finally {
                b.release();
            }
        }
        assertEquals(1007, code, "RFC 6455 §8.1: invalid UTF-8 fails the connection with 1007");
        assertFalse(ch.isOpen());
        assertEquals(1, counters.get(HostCounter.WS_INVALID_UTF8));
    }

    @Test
    void aResetRoomSocketIsCountedAndClosed() {
        rooms.registerCallbacks(new RoomType("test", 2, "test/"), new RoomCallbacks() {
        });
        exchange(upgrade("/room?type=test"));
        ch.pipeline().fireExceptionCaught(new java.net.SocketException("Connection reset"));
        assertFalse(ch.isOpen());
        assertEquals(1, counters.get(HostCounter.CONNECTION_RESET));
    }

    @Test
    void anUpgradeWithoutAKeyIs400Envelope() {
        rooms.registerCallbacks(new RoomType("test", 2, "test/"), new RoomCallbacks() {
        });
        Resp r = one(upgrade("/room?type=test").replace("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n", ""));
        assertEquals(400, r.status());
        assertEquals(400, r.json().path("code").asInt());
        assertNull(ch.pipeline().get(RoomSocketHandler.class));
    }

    @Test
    void anUnsupportedWebSocketVersionIs426Envelope() {
        rooms.registerCallbacks(new RoomType("test", 2, "test/"), new RoomCallbacks() {
        });
        Resp r = one(upgrade("/room?type=test").replace("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 6"));
        assertEquals(426, r.status());
        assertEquals(426, r.json().path("code").asInt());
        assertEquals("13", r.header("Sec-WebSocket-Version"));
    }

    static String upgrade(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    }
}
