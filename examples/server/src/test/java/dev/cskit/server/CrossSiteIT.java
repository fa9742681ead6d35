/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cskit.api.CsConfig;
import dev.cskit.core.CustomerService;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, acceptance 3: the standalone server with its default admin (no {@code admin_token}: loopback clients)
 * and what a web page of another site, open in a browser on the same machine, can do to it. Requests are written
 * on raw sockets so every header is exactly what a browser would send.
 */
@Timeout(60)
class CrossSiteIT {

    @TempDir
    Path dir;

    Main.Server server;
    int port;

    @BeforeEach
    void start() throws Exception {
        server = Main.start(new ServerConfig(0, 0, "127.0.0.1", Duration.ofSeconds(60)),
                CsConfig.newBuilder().dataDir(dir).build(), new CustomerService());
        port = server.host().port();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** One request with {@code Connection: close}; the status line, lower-cased headers and body. */
    record Answer(int status, String head, String body) {
        boolean hasHeader(String name) {
            return head.toLowerCase(Locale.ROOT).contains("\r\n" + name.toLowerCase(Locale.ROOT) + ":");
        }

        JsonNode json() throws IOException {
            return Http.JSON.readTree(body);
        }
    }

    Answer send(String method, String path, String host, String headers, String body) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            s.getOutputStream().write((method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + headers
                    + (b.length > 0 ? "Content-Length: " + b.length + "\r\n" : "") + "Connection: close\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().write(b);
            InputStream in = s.getInputStream();
            String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int end = all.indexOf("\r\n\r\n");
            return new Answer(Integer.parseInt(all.substring(9, 12)), all.substring(0, end + 2), all.substring(end + 4));
        }
    }

    String local() {
        return "localhost:" + port;
    }

    int sessionCount() throws IOException {
        return send("GET", "/customer-service/sessions", local(), "", "").json().path("data").path("total").asInt();
    }

    String createSession() throws IOException {
        Answer a = send("POST", "/customer-service/sessions", local(), "Content-Type: application/json\r\n",
                "{\"title\":\"t\",\"customer_name\":\"c\"}");
        assertEquals(200, a.status(), a.body());
        return a.json().path("data").path("id").asText();
    }

    @Test
    void aForeignPageReadsNoLinksAndCreatesNothing() throws Exception {
        String id = createSession();
        // fetch('http://localhost:PORT/customer-service/sessions/ID/links') from a page of evil.example.
        Answer links = send("GET", "/customer-service/sessions/" + id + "/links", local(),
                "Origin: https://evil.example\r\n", "");
        assertFalse(links.hasHeader("Access-Control-Allow-Origin"), "the browser must not hand the tokens to the page:\n"
                + links.head());
        // A text/plain POST needs no CORS preflight, so a page can send one blindly.
        int before = sessionCount();
        Answer plain = send("POST", "/customer-service/sessions", local(),
                "Origin: https://evil.example\r\nContent-Type: text/plain;charset=UTF-8\r\n",
                "{\"title\":\"pwned\",\"customer_name\":\"x\"}");
        assertEquals(403, plain.status(), plain.body());
        assertEquals(403, plain.json().path("code").asInt());
        // Without Origin (a browser that hides it) the content type alone is refused.
        Answer noOrigin = send("POST", "/customer-service/sessions", local(), "Content-Type: text/plain\r\n",
                "{\"title\":\"pwned\",\"customer_name\":\"x\"}");
        assertEquals(415, noOrigin.status(), noOrigin.body());
        assertEquals(415, noOrigin.json().path("code").asInt());
        assertEquals(before, sessionCount(), "nothing was created");
    }

    @Test
    void dnsRebindingGetsNoAdmin() throws Exception {
        String id = createSession();
        // evil.example now resolves to 127.0.0.1: same origin for the browser, but the Host names evil.example.
        Answer a = send("GET", "/customer-service/sessions/" + id + "/links", "evil.example:" + port, "", "");
        assertEquals(403, a.status(), a.body());
        assertTrue(a.json().path("message").asText().contains("Host"), a.body());
    }

    @Test
    void theSeedsCurlExamplesAndTheServersOwnPagesStillWork() throws Exception {
        String id = createSession();
        Answer assign = send("POST", "/customer-service/sessions/" + id + "/assign", local(),
                "Content-Type: application/json\r\n", "{\"agent_id\":\"agent_001\",\"agent_name\":\"Agent Wang\"}");
        assertEquals(200, assign.status(), assign.body());
        assertEquals(200, send("GET", "/customer-service/stats", local(), "", "").status());
        assertEquals(200, send("GET", "/customer-service/stats", "127.0.0.1:" + port, "", "").status());
        assertEquals(200, send("GET", "/customer-service/stats", "[::1]:" + port, "", "").status());
        // The dashboard posts from its own origin, with Origin set by the browser.
        Answer dashboard = send("DELETE", "/customer-service/sessions/" + id, local(),
                "Origin: http://localhost:" + port + "\r\n", "");
        assertEquals(200, dashboard.status(), dashboard.body());
    }
}
