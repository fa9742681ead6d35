/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.api.CsConfig;
import dev.cskit.netty.stats.HostCounter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@link NettyHost} with TLS on real loopback sockets: HTTPS and WSS on one port with ALPN {@code http/1.1}, plain
 * HTTP redirected (from the redirect port and from plain bytes on the TLS port), and a renewed certificate picked
 * up from its files by new connections.
 */
@Timeout(60)
class NettyHostTlsIT {

    @TempDir
    Path dir;

    final NettyHostIT.FakePlugin plugin = new NettyHostIT.FakePlugin();
    NettyHost host;

    @AfterEach
    void tearDown() {
        if (host != null) {
            host.close();
        }
    }

    NettyHost start(NettyHostBuilder b) throws Exception {
        host = b.bindAddress("127.0.0.1").port(0).staticRoot("/webtest").build().start();
        host.startPlugin(plugin, CsConfig.newBuilder().dataDir(null).build());
        return host;
    }

    static HttpClient client(SSLContext ssl) {
        return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Test
    void servesHttpsAndWssOnOnePortAndRedirectsPlainHttp() throws Exception {
        HostTls tls = HostTls.selfSigned(List.of("localhost"), TestPki.loopback());
        start(NettyHost.newBuilder().tls(tls).httpRedirectPort(0));
        assertTrue(host.secure());
        HttpClient https = client(TestPki.trusting(tls.certificate()));

        var r = https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + host.port() + "/fake/hello/tls"))
                .build(), BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("hello tls"), r.body());

        NettyHostIT.Client ws = new NettyHostIT.Client();
        ws.ws = https.newWebSocketBuilder().buildAsync(URI.create("wss://127.0.0.1:" + host.port() + "/room?type=test"), ws)
                .join();
        assertEquals("joined", ws.join("test/r1", "alice", "good").path("action").asText());

        int redirectPort = host.redirectPort().orElseThrow();
        HttpClient plain = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        var moved = plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + redirectPort + "/fake/hello/x?y=1"))
                .build(), BodyHandlers.ofString());
        assertEquals(301, moved.statusCode());
        assertEquals("https://127.0.0.1:" + host.port() + "/fake/hello/x?y=1",
                moved.headers().firstValue("location").orElseThrow());
        assertTrue(moved.body().startsWith("{\"code\":301,"), moved.body());
        var posted = plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + redirectPort + "/fake/echo"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), BodyHandlers.ofString());
        assertEquals(308, posted.statusCode());

        // Plain HTTP sent to the TLS port is not dropped: it is told where HTTPS is.
        var wrongPort = plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.port() + "/"))
                .build(), BodyHandlers.ofString());
        assertEquals(301, wrongPort.statusCode());
        assertEquals("https://127.0.0.1:" + host.port() + "/", wrongPort.headers().firstValue("location").orElseThrow());
    }

    @Test
    void alpnPicksHttp11AndAnUntrustedClientFailsItsHandshake() throws Exception {
        HostTls tls = HostTls.selfSigned(List.of("localhost"), TestPki.loopback());
        start(NettyHost.newBuilder().tls(tls));
        try (SSLSocket s = (SSLSocket) TestPki.trusting(tls.certificate()).getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), host.port())) {
            SSLParameters p = s.getSSLParameters();
            p.setApplicationProtocols(new String[] {"h2", "http/1.1"});
            s.setSSLParameters(p);
            s.startHandshake();
            assertEquals("http/1.1", s.getApplicationProtocol());
        }
        HttpClient stranger = client(TestPki.trusting(TestPki.ca("someone else").cert()));
        assertThrows(SSLHandshakeException.class, () -> stranger.send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + host.port() + "/")).build(), BodyHandlers.ofString()));
        Poll.until(() -> host.counters().get(HostCounter.TLS_HANDSHAKE_FAILED) >= 1, "the failed handshake counted");
    }

    @Test
    void aRenewedCertificateIsServedToNewConnections() throws Exception {
        TestPki.Issued ca = TestPki.ca("cskit test CA");
        TestPki.Issued first = TestPki.leaf(ca, "EC", List.of("localhost"), List.of("127.0.0.1"));
        TestPki.Issued second = TestPki.leaf(ca, "EC", List.of("localhost"), List.of("127.0.0.1"));
        Path cert = dir.resolve("fullchain.pem");
        Path key = dir.resolve("privkey.pem");
        TestPki.writeCerts(cert, first.cert(), ca.cert());
        TestPki.writePkcs8(key, first.keys().getPrivate());
        start(NettyHost.newBuilder().tls(HostTls.fromPemFiles(cert, key)).tlsReloadInterval(Duration.ofMillis(100)));
        SSLContext trust = TestPki.trusting(ca.cert());
        assertEquals(first.cert(), served(trust));

        // Written to temporary names and moved into place, as certbot and most renewal tools do.
        TestPki.writeCerts(dir.resolve("new-chain.pem"), second.cert(), ca.cert());
        TestPki.writePkcs8(dir.resolve("new-key.pem"), second.keys().getPrivate());
        Files.move(dir.resolve("new-key.pem"), key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.move(dir.resolve("new-chain.pem"), cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(cert, FileTime.from(Instant.now().plusSeconds(2)));
        Poll.until(() -> second.cert().equals(servedQuietly(trust)), "the renewed certificate to be served");
    }

    private X509Certificate served(SSLContext trust) throws IOException {
        try (SSLSocket s = (SSLSocket) trust.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), host.port())) {
            s.startHandshake();
            return (X509Certificate) s.getSession().getPeerCertificates()[0];
        }
    }

    private X509Certificate servedQuietly(SSLContext trust) {
        try {
            return served(trust);
        } catch (IOException e) {
            return null;
        }
    }

    /** Polls a condition (no fixed sleeps in assertions). */
    static final class Poll {
        private Poll() {
        }

        static void until(java.util.function.BooleanSupplier c, String what) throws InterruptedException {
            long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (!c.getAsBoolean()) {
                if (System.nanoTime() > end) {
                    throw new AssertionError("timed out waiting for " + what);
                }
                Thread.sleep(20);
            }
        }
    }

    @Test
    void plainBytesThatAreNotHttpOnTheTlsPortDoNotHangTheConnection() throws Exception {
        start(NettyHost.newBuilder().tls(HostTls.selfSigned(List.of("localhost"), TestPki.loopback())));
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), host.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("HELLO\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
        }
    }
}
