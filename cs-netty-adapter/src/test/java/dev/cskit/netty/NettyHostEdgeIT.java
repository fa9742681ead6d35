/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.api.CsConfig;
import dev.cskit.netty.stats.HostCounter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a misbehaving client does to a {@link NettyHost} on real loopback sockets: a request trickled byte by byte,
 * a room WebSocket reset with a TCP RST, and parse errors that must be answered rather than dropped.
 */
@Timeout(60)
class NettyHostEdgeIT {

    final NettyHostIT.FakePlugin plugin = new NettyHostIT.FakePlugin();
    NettyHost host;

    void start(NettyHostBuilder b) throws Exception {
        host = b.bindAddress("127.0.0.1").port(0).staticRoot("/webtest").build().start();
        host.startPlugin(plugin, CsConfig.newBuilder().dataDir(null).build());
    }

    @AfterEach
    void tearDown() {
        if (host != null) {
            host.close();
        }
    }

    Socket socket() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), host.port());
        s.setSoTimeout(200);
        return s;
    }

    static void waitUntil(BooleanSupplier condition, Duration max, String what) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Reads what the server sent until it closes the connection. */
    static String readToClose(Socket s) throws IOException {
        s.setSoTimeout(10_000);
        return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    /** Reads one response: the head, then Content-Length bytes of body. */
    static String readResponse(Socket s) throws IOException {
        s.setSoTimeout(10_000);
        InputStream in = s.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        String h = head.toString(StandardCharsets.US_ASCII);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(h);
        int len = m.find() ? Integer.parseInt(m.group(1)) : 0;
        return h + new String(in.readNBytes(len), StandardCharsets.UTF_8);
    }

    @Test
    void aRequestTrickledByteByByteGets408AtTheHeaderDeadline() throws Exception {
        start(NettyHost.newBuilder().headerTimeout(Duration.ofSeconds(1)));
        byte[] head = "GET /fake/hello/bob HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
        try (Socket s = socket()) {
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            long start = System.nanoTime();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            // One byte every 100 ms, far more often than any idle timer; never a complete header block.
            for (int i = 0; System.nanoTime() - start < Duration.ofSeconds(20).toNanos(); i++) {
                try {
                    out.write(i < head.length ? head[i] : 'z');
                    out.flush();
                } catch (IOException closed) {
                    break;
                }
                try {
                    int n = in.read();
                    if (n < 0) {
                        break;
                    }
                    got.write(n);
                    got.write(in.readAllBytes());
                    break;
                } catch (SocketTimeoutException nothingYet) {
                    // keep trickling
                }
            }
            long ms = Duration.ofNanos(System.nanoTime() - start).toMillis();
            String answer = got.toString(StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 408 "), "answer after " + ms + " ms: " + answer);
            assertTrue(answer.endsWith("{\"code\":408,\"message\":\"the request headers did not arrive within 1000 ms\"}"),
                    answer);
            assertTrue(ms < 10_000, "the deadline did not move with each byte: " + ms + " ms");
        }
        assertEquals(1, host.counters().get(HostCounter.REQUEST_TIMEOUT));
    }

    @Test
    void aBodyThatNeverCompletesGets408AtTheBodyDeadline() throws Exception {
        start(NettyHost.newBuilder().bodyTimeout(Duration.ofSeconds(1)));
        try (Socket s = socket()) {
            s.getOutputStream().write(("POST /fake/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab")
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = readToClose(s);
            assertTrue(answer.startsWith("HTTP/1.1 408 "), answer);
            assertTrue(answer.contains("\"code\":408"), answer);
        }
    }

    @Test
    void aClientResetOfARoomSocketIsCountedWithoutAWarning() throws Exception {
        start(NettyHost.newBuilder());
        PrintStream realErr = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8)); // slf4j-simple writes to System.err
        try {
            Socket s = socket();
            s.getOutputStream().write(("GET /room?type=test HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            s.setSoTimeout(5000);
            byte[] buf = new byte[1024];
            int n = s.getInputStream().read(buf);
            assertTrue(new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 101 "));
            s.setSoLinger(true, 0); // close() now sends a TCP RST instead of a FIN
            s.close();
            waitUntil(() -> host.counters().get(HostCounter.CONNECTION_RESET) >= 1, Duration.ofSeconds(10),
                    "the reset to be counted");
        } finally {
            System.setErr(realErr);
        }
        String out = log.toString(StandardCharsets.UTF_8);
        assertFalse(out.contains("WARN"), "no warning, no stack trace for a client's reset:\n" + out);
        assertFalse(out.contains("\tat "), out);
    }

    @Test
    void parseErrorsAreAnsweredOnRealSockets() throws Exception {
        start(NettyHost.newBuilder());
        String[][] cases = {
            {"GET /fake/hello/bob?status=%ZZ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "400"},
            {"GET /fake/%ZZ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "400"},
            {"GET /room?type=%ZZ HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n", "400"},
            {"GET /fake/hello/bob HTTP/3.7\r\nHost: x\r\n\r\n", "505"},
            {"GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n", "414"},
            {"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(17000) + "\r\n\r\n", "431"},
        };
        for (String[] c : cases) {
            try (Socket s = socket()) {
                s.getOutputStream().write(c[0].getBytes(StandardCharsets.US_ASCII));
                String answer = readResponse(s);
                String summary = c[0].substring(0, Math.min(60, c[0].length()));
                assertTrue(answer.startsWith("HTTP/1.1 " + c[1] + " "), summary + " -> " + answer);
                assertTrue(answer.contains("{\"code\":" + c[1] + ",\"message\":\""), summary + " -> " + answer);
            }
        }
    }
}
