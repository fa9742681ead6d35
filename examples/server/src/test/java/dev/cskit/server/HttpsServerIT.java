/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cskit.api.CsConfig;
import dev.cskit.core.CustomerService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone server with {@code server.tls} from PEM files of the test's own CA: the API, the room WebSocket
 * (WSS) and WHIP on the one TLS port, links that say {@code https://}, the HTTP redirect port; and behind a
 * trusted TLS-terminating proxy, links built from {@code X-Forwarded-Proto}/{@code -Host} and the admin shortcut
 * off.
 */
@Timeout(60)
class HttpsServerIT {

    static final String ADMIN = "https-it-admin-token";

    /** A WHIP offer as a browser sends it (audio and video, send only); no candidates are needed for the answer. */
    static final String OFFER = String.join("\r\n",
            "v=0", "o=- 1700000000000 0 IN IP4 0.0.0.0", "s=-", "t=0 0", "a=group:BUNDLE 0 1", "a=msid-semantic:WMS *",
            "m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 0.0.0.0", "a=ice-ufrag:8f2c", "a=ice-pwd:0d9c6e1b2a3f4e5d6c7b8a9f",
            "a=fingerprint:sha-256 0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9:0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9",
            "a=setup:actpass", "a=sendonly", "a=mid:0", "a=rtcp-mux", "a=ssrc:3456789012 cname:c", "a=rtpmap:111 opus/48000/2",
            "m=video 9 UDP/TLS/RTP/SAVPF 96", "c=IN IP4 0.0.0.0", "a=ice-ufrag:8f2c", "a=ice-pwd:0d9c6e1b2a3f4e5d6c7b8a9f",
            "a=fingerprint:sha-256 0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9:0A:1B:2C:3D:4E:5F:60:71:82:93:A4:B5:C6:D7:E8:F9",
            "a=setup:actpass", "a=sendonly", "a=mid:1", "a=rtcp-mux", "a=ssrc:1234567890 cname:c", "a=rtpmap:96 VP8/90000",
            "");

    @TempDir
    Path dir;

    static Main.Server start(Path dataDir, ServerConfig.Web web) throws Exception {
        ServerConfig server = new ServerConfig(0, 0, "127.0.0.1", Duration.ofSeconds(60), web);
        return Main.start(server, CsConfig.newBuilder().dataDir(dataDir).adminToken(ADMIN).build(), new CustomerService());
    }

    static JsonNode data(HttpResponse<String> r) throws Exception {
        JsonNode env = Http.JSON.readTree(r.body());
        assertEquals(0, env.path("code").asInt(), r.body());
        return env.path("data");
    }

    @Test
    void apiRoomWebSocketAndWhipShareTheTlsPortAndLinksSayHttps() throws Exception {
        TestCa ca = new TestCa();
        TestCa.ServerFiles files = ca.issue(dir, List.of("cs.test"), List.of("127.0.0.1"));
        ServerConfig.Web web = new ServerConfig.Web(new ServerConfig.Tls(files.chain(), files.key(), false), 0,
                List.of(), Duration.ofSeconds(10), Duration.ofSeconds(30));
        try (Main.Server server = start(dir.resolve("data"), web)) {
            String base = "https://127.0.0.1:" + server.host().port();
            HttpClient https = HttpClient.newBuilder().sslContext(ca.clientContext()).version(HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

            JsonNode session = data(https.send(HttpRequest.newBuilder(URI.create(base + "/customer-service/sessions"))
                    .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"TLS\",\"customer_name\":\"Tia\"}")).build(),
                    BodyHandlers.ofString()));
            String id = session.path("id").asText();
            JsonNode links = data(https.send(HttpRequest.newBuilder(URI.create(base + "/customer-service/sessions/" + id
                    + "/links")).header("Authorization", "Bearer " + ADMIN).build(), BodyHandlers.ofString()));
            assertTrue(links.path("customer_url").asText().startsWith(base + "/?session=" + id), links.toString());
            assertTrue(links.path("agent_url").asText().startsWith(base + "/?session=" + id), links.toString());

            // The room WebSocket over TLS (wss://), as the call page opens it from an https:// page.
            BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
            WebSocket ws = https.newWebSocketBuilder().buildAsync(URI.create("wss://127.0.0.1:" + server.host().port()
                    + "/room?type=customer_service"), new WebSocket.Listener() {
                        private final StringBuilder text = new StringBuilder();

                        @Override
                        public CompletionStage<?> onText(WebSocket w, CharSequence d, boolean last) {
                            text.append(d);
                            if (last) {
                                try {
                                    frames.add(Http.JSON.readTree(text.toString()));
                                } catch (java.io.IOException e) {
                                    throw new IllegalStateException(e);
                                }
                                text.setLength(0);
                            }
                            w.request(1);
                            return null;
                        }
                    }).join();
            String customer = session.path("customer_id").asText();
            ws.sendText("{\"action\":\"join\",\"room_id\":\"customer-service/" + id + "\",\"user_id\":\"" + customer
                    + "\",\"token\":\"" + links.path("customer_token").asText() + "\"}", true).join();
            JsonNode joined = frames.poll(10, TimeUnit.SECONDS);
            assertEquals("joined", joined == null ? null : joined.path("action").asText(), String.valueOf(joined));

            // WHIP on the same port.
            HttpResponse<String> whip = https.send(HttpRequest.newBuilder(URI.create(base + "/webrtc/whip/customer-service/"
                    + id + "/" + customer)).header("Authorization", "Bearer " + links.path("customer_token").asText())
                    .header("Content-Type", "application/sdp").POST(HttpRequest.BodyPublishers.ofString(OFFER)).build(),
                    BodyHandlers.ofString());
            assertEquals(201, whip.statusCode(), whip.body());
            assertTrue(whip.headers().firstValue("content-type").orElseThrow().startsWith("application/sdp"));
            assertTrue(whip.body().startsWith("v=0"), whip.body());
            assertTrue(whip.headers().firstValue("location").isPresent());
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();

            // Plain HTTP on the redirect port goes to the same host and path on HTTPS.
            int redirect = server.host().redirectPort().orElseThrow();
            HttpResponse<String> moved = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + redirect + "/admin/?x=1")).build(), BodyHandlers.ofString());
            assertEquals(301, moved.statusCode());
            assertEquals(base + "/admin/?x=1", moved.headers().firstValue("location").orElseThrow());
        }
    }

    @Test
    void behindATrustedTlsProxyLinksUseTheForwardedOriginAndAdminNeedsTheToken() throws Exception {
        ServerConfig.Web web = new ServerConfig.Web(null, null, List.of("127.0.0.1/32"), Duration.ofSeconds(10),
                Duration.ofSeconds(30));
        try (Main.Server server = start(dir.resolve("data"), web)) {
            String base = "http://127.0.0.1:" + server.host().port();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            JsonNode session = data(http.send(HttpRequest.newBuilder(URI.create(base + "/customer-service/sessions"))
                    .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"Proxy\",\"customer_name\":\"Pia\"}")).build(),
                    BodyHandlers.ofString()));
            String links = base + "/customer-service/sessions/" + session.path("id").asText() + "/links";
            // What nginx sends with proxy_set_header X-Forwarded-Proto $scheme; X-Forwarded-Host $host; ...
            HttpRequest.Builder viaProxy = HttpRequest.newBuilder(URI.create(links))
                    .header("X-Forwarded-For", "203.0.113.7").header("X-Forwarded-Proto", "https")
                    .header("X-Forwarded-Host", "cs.example.com");
            JsonNode l = data(http.send(viaProxy.copy().header("Authorization", "Bearer " + ADMIN).build(),
                    BodyHandlers.ofString()));
            assertTrue(l.path("customer_url").asText().startsWith("https://cs.example.com/?session="), l.toString());
        }
        // Without admin_token, the loopback shortcut answers local curl but nothing that came through a proxy: any
        // forwarding header, and anything from a trusted proxy's address (a local nginx looks like local curl).
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (Main.Server server = Main.start(new ServerConfig(0, 0, "127.0.0.1", Duration.ofSeconds(60)),
                CsConfig.newBuilder().dataDir(dir.resolve("data2")).build(), new CustomerService())) {
            String stats = "http://127.0.0.1:" + server.host().port() + "/customer-service/stats";
            assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(stats)).build(), BodyHandlers.ofString())
                    .statusCode());
            HttpResponse<String> proxied = http.send(HttpRequest.newBuilder(URI.create(stats))
                    .header("X-Forwarded-For", "127.0.0.1").build(), BodyHandlers.ofString());
            assertEquals(403, proxied.statusCode(), proxied.body());
            assertTrue(proxied.body().contains("proxy"), proxied.body());
        }
        try (Main.Server server = Main.start(new ServerConfig(0, 0, "127.0.0.1", Duration.ofSeconds(60), web),
                CsConfig.newBuilder().dataDir(dir.resolve("data3")).build(), new CustomerService())) {
            String stats = "http://127.0.0.1:" + server.host().port() + "/customer-service/stats";
            HttpResponse<String> fromProxyAddress = http.send(HttpRequest.newBuilder(URI.create(stats)).build(),
                    BodyHandlers.ofString());
            assertEquals(403, fromProxyAddress.statusCode(), fromProxyAddress.body());
            assertTrue(fromProxyAddress.body().contains("proxy"), fromProxyAddress.body());
        }
    }
}
