/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.api.http.BodyAbort;
import dev.cskit.api.http.BodySink;
import dev.cskit.api.http.BodyStart;
import dev.cskit.api.http.HttpRequest;
import dev.cskit.api.http.HttpResponse;
import dev.cskit.api.http.RouteMatcher;
import dev.cskit.netty.internal.HttpDispatchHandlerTest.Resp;
import dev.cskit.netty.stats.HostCounter;
import dev.cskit.netty.stats.HostCounters;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Streamed request bodies through the whole HTTP pipeline of a connection on an {@link EmbeddedChannel}: pieces in
 * order, the route's limit, backpressure, early answers, aborts. Every buffer the connection allocated or was given
 * is checked to be released at the end of each test ({@link TrackingAllocator}), on top of the paranoid leak
 * detector the build runs with.
 */
class StreamedBodyTest {

    static final long LIMIT = 100_000;

    /** An allocator that remembers every buffer it gave out. */
    static final class TrackingAllocator extends AbstractByteBufAllocator {
        final List<ByteBuf> given = new CopyOnWriteArrayList<>();

        TrackingAllocator() {
            super(false);
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            return track(new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity));
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            return track(new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity));
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }

        @Override
        public CompositeByteBuf compositeHeapBuffer(int maxNumComponents) {
            return track(super.compositeHeapBuffer(maxNumComponents));
        }

        @Override
        public CompositeByteBuf compositeDirectBuffer(int maxNumComponents) {
            return track(super.compositeDirectBuffer(maxNumComponents));
        }

        <T extends ByteBuf> T track(T b) {
            given.add(b);
            return b;
        }
    }

    /** What the route's sink saw. */
    class Recorder implements BodySink {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override
        public Optional<HttpResponse> onData(ByteBuffer data) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            if (calls.stream().noneMatch(c -> c.equals("data")) && b.length >= 2 && b[0] == 'M' && b[1] == 'Z') {
                calls.add("refused");
                return Optional.of(HttpResponse.json(415, "{\"code\":415,\"message\":\"no executables\"}"));
            }
            if (new String(b, StandardCharsets.ISO_8859_1).contains("boom")) {
                throw new IllegalStateException("disk on fire");
            }
            calls.add("data");
            bytes.writeBytes(b);
            return Optional.empty();
        }

        @Override
        public HttpResponse onEnd() {
            calls.add("end");
            return HttpResponse.json(201, "{\"code\":0,\"data\":" + bytes.size() + "}");
        }

        @Override
        public void onAbort(BodyAbort reason) {
            calls.add("abort " + reason);
        }
    }

    final TrackingAllocator alloc = new TrackingAllocator();
    final List<ByteBuf> written = new ArrayList<>();
    final Queue<Runnable> tasks = new ArrayDeque<>();
    final List<Recorder> sinks = new CopyOnWriteArrayList<>();
    final List<String> opened = new CopyOnWriteArrayList<>();
    final HostCounters counters = new HostCounters();
    boolean inlineWorker = true;
    boolean refuseWork;
    RouteMatcher routes;
    EmbeddedChannel ch;

    @BeforeEach
    void setUp() {
        routes = new RouteMatcher();
        routes.addStreaming("POST", "/up/{name}", LIMIT, head -> {
            opened.add(head.pathParam("name"));
            if (head.header("x-refuse").isPresent()) {
                return BodyStart.answer(HttpResponse.json(401, "{\"code\":401,\"message\":\"no token\"}"));
            }
            Recorder r = new Recorder();
            sinks.add(r);
            return BodyStart.read(r);
        });
        routes.add("POST", "/whole", req -> HttpResponse.json(200, "{\"code\":0,\"data\":" + req.bodyLength() + "}"));
        routes.add("GET", "/ping", req -> HttpResponse.json(200, "{\"code\":0,\"data\":\"pong\"}"));
        RoomRegistry rooms = new RoomRegistry(new SerialStripes(1, i -> Runnable::run), Clock.systemUTC());
        HostSettings settings = new HostSettings(routes, rooms,
                new StaticFiles(getClass().getClassLoader(), "/webtest"),
                r -> {
                    if (refuseWork) {
                        throw new java.util.concurrent.RejectedExecutionException("full");
                    }
                    if (inlineWorker) {
                        r.run();
                    } else {
                        tasks.add(r);
                    }
                },
                64 * 1024, 64 * 1024, Duration.ofSeconds(60), Clock.systemUTC(), ConcurrentHashMap.newKeySet(),
                Duration.ofSeconds(10), Duration.ofSeconds(30), new BrowserPolicy(), TrustedProxies.NONE, counters,
                null, () -> 0);
        ch = new EmbeddedChannel();
        ch.config().setAllocator(alloc);
        ch.pipeline().addLast(new HostChannelInitializer(settings, false));
        ch.runPendingTasks();
    }

    @AfterEach
    void everyBufferIsReleased() {
        ch.finishAndReleaseAll();
        runTasks();
        for (ByteBuf b : written) {
            assertEquals(0, b.refCnt(), "a buffer the test wrote is still held");
        }
        for (ByteBuf b : alloc.given) {
            assertEquals(0, b.refCnt(), "a buffer the connection allocated is still held: " + b);
        }
    }

    // ------------------------------------------------------------------ helpers

    void write(byte[] raw) {
        ByteBuf b = Unpooled.wrappedBuffer(raw);
        written.add(b);
        ch.writeInbound(b);
    }

    void write(String raw) {
        write(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    void runTasks() {
        Runnable r;
        while ((r = tasks.poll()) != null) {
            r.run();
        }
        ch.runPendingTasks();
    }

    static String head(String path, long length, String... extra) {
        StringBuilder b = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: test\r\n");
        if (length >= 0) {
            b.append("Content-Length: ").append(length).append("\r\n");
        } else {
            b.append("Transfer-Encoding: chunked\r\n");
        }
        for (String h : extra) {
            b.append(h).append("\r\n");
        }
        return b.append("\r\n").toString();
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        if (n > 1) {
            b[0] = 'P'; // not "MZ"
        }
        return b;
    }

    static byte[] chunk(byte[] data, int from, int to) {
        byte[] head = (Integer.toHexString(to - from) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[head.length + (to - from) + 2];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(data, from, out, head.length, to - from);
        out[out.length - 2] = '\r';
        out[out.length - 1] = '\n';
        return out;
    }

    List<Resp> responses() {
        StringBuilder all = new StringBuilder();
        Object o;
        while ((o = ch.readOutbound()) != null) {
            ByteBuf b = (ByteBuf) o;
            try {
                all.append(b.toString(StandardCharsets.ISO_8859_1));
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
                headers.put(lines[i].substring(0, c).trim().toLowerCase(Locale.ROOT), lines[i].substring(c + 1).trim());
            }
            int len = status == 100 ? 0 : Integer.parseInt(headers.getOrDefault("content-length", "0"));
            out.add(new Resp(status, headers, rest.substring(end + 4, end + 4 + len)));
            rest = rest.substring(end + 4 + len);
        }
        return out;
    }

    Resp only() {
        List<Resp> r = responses();
        assertEquals(1, r.size(), r.toString());
        return r.get(0);
    }

    // ------------------------------------------------------------------ tests

    @Test
    void aBodyReachesTheSinkInOrderAcrossManyWritesAndTheConnectionStaysUsable() {
        byte[] body = random(90_000, 1);
        write(head("/up/a", body.length));
        for (int i = 0; i < body.length; i += 7_001) {
            write(java.util.Arrays.copyOfRange(body, i, Math.min(body.length, i + 7_001)));
        }
        runTasks();
        Resp r = only();
        assertEquals(201, r.status());
        assertEquals(90_000, r.json().path("data").asInt());
        Recorder sink = sinks.get(0);
        assertArrayEquals(body, sink.bytes.toByteArray());
        assertEquals("end", sink.calls.get(sink.calls.size() - 1));
        assertFalse(sink.calls.stream().anyMatch(c -> c.startsWith("abort")));
        assertTrue(ch.isOpen());
        write("GET /ping HTTP/1.1\r\nHost: test\r\n\r\n");
        runTasks();
        assertEquals(200, only().status());
    }

    @Test
    void aChunkedBodyStreamsToo() {
        byte[] body = random(30_000, 2);
        write(head("/up/c", -1));
        write(chunk(body, 0, 10_000));
        write(chunk(body, 10_000, 30_000));
        write("0\r\n\r\n");
        runTasks();
        assertEquals(201, only().status());
        assertArrayEquals(body, sinks.get(0).bytes.toByteArray());
    }

    @Test
    void aBodyOfExactlyTheLimitIsTaken() {
        byte[] body = random((int) LIMIT, 3);
        write(head("/up/x", LIMIT));
        write(body);
        runTasks();
        assertEquals(201, only().status());
        assertEquals(LIMIT, sinks.get(0).bytes.size());
    }

    @Test
    void anAnnouncedLengthOverTheLimitIs413BeforeTheRouteOrTheBody() {
        write(head("/up/big", LIMIT + 1));
        runTasks();
        Resp r = only();
        assertEquals(413, r.status());
        assertEquals("close", r.header("connection"));
        assertTrue(r.json().path("message").asText().contains(String.valueOf(LIMIT)), r.body());
        assertTrue(opened.isEmpty(), "the route never sees an upload it cannot take");
        assertEquals(1, counters.get(HostCounter.BODY_TOO_LARGE));
        // The client, still sending, is read and dropped to the end, then the connection closes.
        assertTrue(ch.isOpen());
        write(random((int) LIMIT, 4));
        assertTrue(ch.isOpen());
        write(new byte[1]);
        runTasks();
        assertFalse(ch.isOpen());
    }

    @Test
    void aChunkedBodyIs413AsSoonAsItCrossesTheLimitAndTheSinkIsAborted() {
        byte[] body = random((int) LIMIT + 10, 5);
        write(head("/up/chunky", -1));
        write(chunk(body, 0, 60_000));
        runTasks();
        assertTrue(responses().isEmpty());
        write(chunk(body, 60_000, body.length)); // crosses the limit inside this chunk
        runTasks();
        Resp r = only();
        assertEquals(413, r.status());
        Recorder sink = sinks.get(0);
        assertEquals("abort TOO_LARGE", sink.calls.get(sink.calls.size() - 1));
        assertTrue(sink.bytes.size() <= LIMIT, "nothing past the limit reached the sink");
        assertTrue(ch.isOpen(), "the rest of the body is still read");
        write("0\r\n\r\n");
        runTasks();
        assertFalse(ch.isOpen());
    }

    @Test
    void aSinkWithATighterLimitAnswersInItsOwnWordsHoweverFarItLagsBehind() {
        inlineWorker = false; // the whole body is read before the sink sees a byte of it
        routes.removeAll("/up");
        List<Recorder> counted = new ArrayList<>();
        routes.addStreaming("POST", "/up/{name}", LIMIT, head -> {
            Recorder r = new Recorder() {
                @Override
                public Optional<HttpResponse> onData(ByteBuffer data) {
                    if (bytes.size() + data.remaining() > LIMIT - 20_000) {
                        return Optional.of(HttpResponse.json(413, "{\"code\":413,\"message\":\"file too big\"}"));
                    }
                    return super.onData(data);
                }
            };
            counted.add(r);
            return BodyStart.read(r);
        });
        byte[] body = random((int) LIMIT + 50_000, 15);
        write(head("/up/lagging", -1));
        write(chunk(body, 0, 50_000));
        write(chunk(body, 50_000, body.length)); // past the route's limit before the sink took anything
        runTasks();
        Resp r = only();
        assertEquals(413, r.status());
        assertEquals("file too big", r.json().path("message").asText(), "the sink's refusal, not the host's");
        assertTrue(counted.get(0).bytes.size() <= LIMIT - 20_000);
        write("0\r\n\r\n");
        runTasks();
        assertFalse(ch.isOpen());
    }

    @Test
    void theRouteRefusingAtTheHeadIsAnsweredAndTheBodyDropped() {
        write(head("/up/r", 50_000, "X-Refuse: yes"));
        write(random(20_000, 6));
        runTasks();
        Resp r = only();
        assertEquals(401, r.status());
        assertEquals("close", r.header("connection"));
        assertTrue(sinks.isEmpty());
        write(random(30_000, 7));
        runTasks();
        assertFalse(ch.isOpen());
    }

    @Test
    void aSinkAnsweringEarlyStopsTheBodyAndAPipelinedRequestIsNeverServed() {
        byte[] body = random(50_000, 8);
        body[0] = 'M';
        body[1] = 'Z';
        write(head("/up/exe", body.length));
        write(java.util.Arrays.copyOfRange(body, 0, 20_000));
        runTasks();
        Resp r = only();
        assertEquals(415, r.status());
        assertEquals(List.of("refused"), sinks.get(0).calls, "no further call after an early answer");
        byte[] rest = java.util.Arrays.copyOfRange(body, 20_000, body.length);
        byte[] ping = "GET /ping HTTP/1.1\r\nHost: test\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] both = java.util.Arrays.copyOf(rest, rest.length + ping.length);
        System.arraycopy(ping, 0, both, rest.length, ping.length);
        write(both); // the rest of the body with a pipelined request right behind it
        runTasks();
        assertTrue(responses().isEmpty());
        assertFalse(ch.isOpen());
    }

    @Test
    void aSinkThatThrowsIsAbortedAndTheAnswerIs500() {
        byte[] body = "this body goes boom in the sink".getBytes(StandardCharsets.US_ASCII);
        write(head("/up/b", body.length));
        write(body);
        runTasks();
        assertEquals(500, only().status());
        assertEquals(List.of("abort FAILED"), sinks.get(0).calls);
    }

    @Test
    void expectContinueIsAnsweredOnlyOnceTheRouteTakesTheBody() {
        inlineWorker = false;
        byte[] body = random(40_000, 9);
        write(head("/up/e", body.length, "Expect: 100-continue"));
        assertTrue(responses().isEmpty(), "no 100 before the route has seen the head");
        runTasks();
        List<Resp> cont = responses();
        assertEquals(1, cont.size());
        assertEquals(100, cont.get(0).status());
        write(body);
        runTasks();
        assertEquals(201, only().status());
        assertArrayEquals(body, sinks.get(0).bytes.toByteArray());
    }

    @Test
    void expectContinueOverTheLimitOrRefusedClosesWithoutAskingForTheBody() {
        write(head("/up/e", LIMIT + 1, "Expect: 100-continue"));
        runTasks();
        assertEquals(413, only().status());
        assertFalse(ch.isOpen());
    }

    @Test
    void expectContinueRefusedByTheRouteClosesAtOnce() {
        write(head("/up/e", 10, "Expect: 100-continue", "X-Refuse: yes"));
        runTasks();
        assertEquals(401, only().status());
        assertFalse(ch.isOpen());
    }

    @Test
    void otherRoutesKeepTheHostsWholeBodyLimit() {
        write(head("/whole", 64 * 1024 + 1));
        runTasks();
        Resp announced = only();
        assertEquals(413, announced.status());
        assertTrue(announced.json().path("message").asText().contains("65536"), announced.body());
    }

    @Test
    void aChunkedBodyToAWholeBodyRouteBesideAStreamingOneIs413AtTheHostsLimit() {
        routes.add("POST", "/up/{name}/note", req -> HttpResponse.json(200, "{\"code\":0}"));
        byte[] body = random(200_000, 16);
        write(head("/up/x/note", -1));
        write(chunk(body, 0, 60_000));
        runTasks();
        assertTrue(responses().isEmpty());
        write(chunk(body, 60_000, body.length));
        runTasks();
        Resp chunked = only();
        assertEquals(413, chunked.status());
        assertTrue(chunked.json().path("message").asText().contains("65536"), chunked.body());
        assertTrue(sinks.isEmpty(), "no streaming sink was opened");
    }

    @Test
    void backpressureBoundsWhatTheConnectionHoldsWhateverTheBodySize() {
        inlineWorker = false;
        int size = 4 * 1024 * 1024;
        routes.removeAll("/up");
        List<Recorder> counted = new ArrayList<>();
        routes.addStreaming("POST", "/up/{name}", size, head -> {
            Recorder r = new Recorder();
            counted.add(r);
            return BodyStart.read(r);
        });
        byte[] body = random(size, 10);
        write(head("/up/big", size));
        runTasks(); // open
        long peakLive = 0;
        int pos = 0;
        int pauses = 0;
        while (pos < size) {
            if (!ch.config().isAutoRead()) {
                pauses++;
                runTasks(); // the sink catches up; reading resumes at the low-water mark
                assertTrue(ch.config().isAutoRead(), "reading resumes once the sink caught up");
                continue;
            }
            int n = Math.min(64 * 1024, size - pos);
            write(java.util.Arrays.copyOfRange(body, pos, pos + n));
            pos += n;
            peakLive = Math.max(peakLive, liveBytes());
        }
        runTasks();
        assertEquals(201, only().status());
        assertArrayEquals(body, counted.get(0).bytes.toByteArray());
        assertTrue(pauses > 10, "the connection paused reading while the sink was behind (" + pauses + ")");
        // At most HIGH_WATER pieces plus one read's worth wait, each pinning at most its 64 KiB read buffer.
        long bound = (BodyStream.HIGH_WATER / 8 + 2) * 64 * 1024L;
        assertTrue(peakLive <= bound, "held " + peakLive + " bytes at once, more than " + bound);
    }

    /** Bytes of buffers the connection or the test still holds. */
    long liveBytes() {
        long n = 0;
        for (ByteBuf b : written) {
            n += b.refCnt() > 0 ? b.capacity() : 0;
        }
        for (ByteBuf b : alloc.given) {
            n += b.refCnt() > 0 ? b.capacity() : 0;
        }
        return n;
    }

    @Test
    void aConnectionClosedMidBodyAbortsTheSinkAndReleasesEveryPiece() {
        inlineWorker = false;
        write(head("/up/gone", 90_000));
        runTasks();
        write(random(30_000, 11)); // pieces wait for the worker
        assertFalse(tasks.isEmpty());
        ch.close();
        runTasks();
        Recorder sink = sinks.get(0);
        assertEquals("abort CONNECTION_CLOSED", sink.calls.get(sink.calls.size() - 1));
        assertFalse(sink.calls.contains("end"));
    }

    @Test
    void aStreamedBodyHasAnIdleDeadlineNotAWholeOne() {
        byte[] body = random(60_000, 12);
        write(head("/up/slow", body.length));
        for (int i = 0; i < 5; i++) { // 5 x 20 s = 100 s in all, past the 30 s body deadline
            write(java.util.Arrays.copyOfRange(body, i * 10_000, (i + 1) * 10_000));
            ch.advanceTimeBy(20, TimeUnit.SECONDS);
            ch.runScheduledPendingTasks();
            assertTrue(responses().isEmpty());
            assertTrue(ch.isOpen());
        }
        ch.advanceTimeBy(31, TimeUnit.SECONDS); // then silence
        ch.runScheduledPendingTasks();
        runTasks();
        Resp r = only();
        assertEquals(408, r.status());
        assertTrue(r.json().path("message").asText().contains("next part"), r.body());
        assertFalse(ch.isOpen());
        Recorder sink = sinks.get(0);
        assertEquals("abort CONNECTION_CLOSED", sink.calls.get(sink.calls.size() - 1));
    }

    @Test
    void theRequestHeadCarriesWhatTheRouteNeeds() {
        List<HttpRequest> heads = new ArrayList<>();
        routes.addStreaming("POST", "/h/{id}/files", LIMIT, head -> {
            heads.add(head);
            return BodyStart.answer(HttpResponse.json(200, "{}"));
        });
        write("POST /h/cs_1/files?name=a%20b.png HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer t0k\r\n"
                + "Content-Length: 0\r\n\r\n");
        runTasks();
        assertEquals(200, only().status());
        HttpRequest h = heads.get(0);
        assertEquals("cs_1", h.pathParam("id"));
        assertEquals("a b.png", h.queryParam("name").orElseThrow());
        assertEquals("t0k", h.bearerToken().orElseThrow());
        assertEquals(0, h.bodyLength());
    }

    @Test
    void anExecutorThatRefusesTheRoutesWorkIs503AndNothingIsHeld() {
        refuseWork = true;
        write(head("/up/busy", 20_000));
        write(random(20_000, 13));
        runTasks();
        Resp r = only();
        assertEquals(503, r.status());
        assertTrue(opened.isEmpty());
        assertFalse(ch.isOpen(), "the body was all in when the answer left");
    }

    @Test
    void aFileResponseGoesOutFromDiskWithItsHeaders(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        byte[] content = random(100_000, 14);
        java.nio.file.Path file = dir.resolve("f");
        java.nio.file.Files.write(file, content);
        routes.add("GET", "/file", req -> HttpResponse.ofFile(200, "image/png", file)
                .withHeader("Content-Disposition", "attachment; filename=\"a.png\""));
        write("GET /file HTTP/1.1\r\nHost: test\r\n\r\n");
        runTasks();
        Resp r = only();
        assertEquals(200, r.status());
        assertEquals("100000", r.header("content-length"));
        assertEquals("image/png", r.header("content-type"));
        assertEquals("attachment; filename=\"a.png\"", r.header("content-disposition"));
        assertArrayEquals(content, r.body().getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(ch.isOpen());
        java.nio.file.Files.delete(file);
        write("GET /file HTTP/1.1\r\nHost: test\r\n\r\n");
        runTasks();
        assertEquals(500, only().status(), "a file gone before the answer is an error, not a hang");
    }
}
