/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cskit.api.AgentAccount;
import dev.cskit.api.CsConfig;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.core.CustomerService;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance of the metrics: a call accepted over the room WebSocket carries werift media ({@code werift-call.mjs}
 * on that session) while {@code /metrics} is scraped; every scrape is parsed by an independent parser (npm
 * {@code parse-prometheus-text-format}, {@code examples/e2e/prom-parse.mjs}) and the checks read what it parsed:
 * the call in {@code cskit_calls_active} (1 during, 0 after), the media packet counters rising and never going down,
 * the session gauges equal to {@code /stats}.
 */
@Timeout(240)
class MetricsIT {

    static final String METRICS_TOKEN = "scrape-token-0123456789";
    /** werift sends this many audio and as many video packets. */
    static final int PACKETS = 300;

    @TempDir
    Path dataDir;

    @Test
    void aWeriftCallShowsInTheMetricsAndEveryScrapeParses() throws Exception {
        assertTrue(Files.isDirectory(NodeScript.E2E.resolve("node_modules/werift"))
                        && Files.isDirectory(NodeScript.E2E.resolve("node_modules/parse-prometheus-text-format")),
                "the end-to-end tools are not installed in " + NodeScript.E2E + ": mvn verify runs examples/e2e/install.mjs");
        ServerConfig sc = new ServerConfig(0, 0, "127.0.0.1", Duration.ofSeconds(60)).withMetricsToken(METRICS_TOKEN);
        // No admin token: loopback clients (this test, werift) use the admin endpoints, as on a laptop.
        CsConfig cs = CsConfig.newBuilder().dataDir(dataDir).agents(List.of(
                new AgentAccount("agent_001", "Agent Wang", InProcessServer.bcrypt("pw")))).build();
        try (Main.Server server = Main.start(sc, cs, new CustomerService())) {
            int port = server.host().port();
            Http http = new Http(port, null);
            List<String> scrapes = new ArrayList<>();
            scrapes.add(scrape(http)); // 0: nothing yet

            JsonNode s = http.createSession("Metrics", "Werift Customer");
            String id = s.path("id").asText();
            http.assign(id, "agent_001", "Agent Wang");
            JsonNode links = http.links(id);
            try (RoomClient customer = RoomClient.connect("customer", port);
                 RoomClient agent = RoomClient.connect("agent", port)) {
                assertEquals("joined", customer.join(id, s.path("customer_id").asText(),
                        links.path("customer_token").asText()).path("action").asText());
                assertEquals("joined", agent.join(id, "agent_001", links.path("agent_token").asText())
                        .path("action").asText());
                agent.action("accept_call", id, "agent_001");
                customer.expect("call_accepted");
                scrapes.add(scrape(http)); // 1: the call, no media yet
                JsonNode statsDuring = http.stats();

                CompletableFuture<NodeScript.Run> call = CompletableFuture.supplyAsync(() -> NodeScript.run(
                        Duration.ofSeconds(120),
                        null, "werift-call.mjs", "--base", "http://127.0.0.1:" + port, "--session", id,
                        "--packets", String.valueOf(PACKETS)));
                int firstDuring = scrapes.size();
                while (true) {
                    scrapes.add(scrape(http)); // 2..: while werift publishes and plays
                    try {
                        call.get(250, TimeUnit.MILLISECONDS);
                        break;
                    } catch (TimeoutException stillRunning) {
                        // scrape again
                    }
                }
                NodeScript.Run werift = call.join();
                assertEquals(0, werift.exit(), () -> "werift-call.mjs failed: " + werift.output());
                int lastDuring = scrapes.size() - 1;

                agent.action("end_call", id, "agent_001");
                assertEquals("agent_hangup", customer.expect("call_ended").path("reason").asText());
                scrapes.add(scrape(http)); // last: the call has ended
                JsonNode statsAfter = http.stats();

                List<Map<String, JsonNode>> parsed = parse(scrapes);
                int last = parsed.size() - 1;
                assertEquals(0, value(parsed.get(0), "cskit_calls_active", null));
                assertEquals(0, value(parsed.get(0), "cskit_media_packets_received_total", null));
                assertEquals(1, value(parsed.get(1), "cskit_calls_active", null), "the call is active");
                for (int i = firstDuring; i <= lastDuring; i++) {
                    assertEquals(1, value(parsed.get(i), "cskit_calls_active", null), "scrape " + i);
                }
                assertEquals(0, value(parsed.get(last), "cskit_calls_active", null), "the call has ended");
                assertEquals(2, value(parsed.get(1), "cskit_websocket_connections", null), "the two room sockets");

                // The media counters rise with the call, and an ended peer's packets stay counted.
                double duringMax = value(parsed.get(lastDuring), "cskit_media_packets_received_total", null);
                assertTrue(duringMax > 0, "media was counted during the call");
                double received = value(parsed.get(last), "cskit_media_packets_received_total", null);
                double sent = value(parsed.get(last), "cskit_media_packets_sent_total", null);
                List<Double> series = new ArrayList<>();
                parsed.forEach(p -> series.add(value(p, "cskit_media_packets_received_total", null)));
                System.out.println("[MetricsIT] cskit_media_packets_received_total per scrape: " + series
                        + "; packets sent at the end: " + sent);
                assertTrue(received >= 2 * PACKETS * 0.9, "received " + received + " of " + 2 * PACKETS);
                assertTrue(series.stream().anyMatch(v -> v > 0 && v < received), "the counter rose while scraped: "
                        + series);
                assertTrue(sent >= 2 * PACKETS * 0.9, "forwarded " + sent + " of " + 2 * PACKETS);
                assertTrue(value(parsed.get(last), "cskit_media_bytes_received_total", null) > received * 100,
                        "werift's payloads are 120 and 900 bytes");
                assertTrue(value(parsed.get(last), "cskit_media_dtls_handshakes_total", Map.of("outcome", "ok")) >= 2);
                assertEquals(0, value(parsed.get(last), "cskit_media_peer_connections", Map.of("transport", "udp")),
                        "werift deleted its resources");
                boolean sawPeers = false;
                for (int i = firstDuring; i <= lastDuring; i++) {
                    sawPeers |= value(parsed.get(i), "cskit_media_peer_connections", Map.of("transport", "udp")) > 0;
                }
                assertTrue(sawPeers, "a scrape during the call saw its peer connections");
                assertCountersNeverGoDown(parsed);

                // The session gauges are /stats.
                assertSessionsEqualStats(parsed.get(1), statsDuring);
                assertSessionsEqualStats(parsed.get(last), statsAfter);
                assertEquals(1, value(parsed.get(last), "cskit_sessions_ended_total", Map.of("reason", "agent_hangup")));
                assertEquals(1, histogramCount(parsed.get(last), "cskit_call_duration_seconds"));
                assertTrue(histogramCount(parsed.get(last), "cskit_journal_fsync_seconds") >= 3,
                        "create, assign, accept and end were written to the journal");
                assertTrue(value(parsed.get(last), "jvm_threads_live_threads", null) > 0, "JVM binders");
                assertTrue(value(parsed.get(last), "process_uptime_seconds", null) > 0, "process binders");
            }
        }
    }

    /** {@code GET /metrics} in the Prometheus text format, with the metrics token. */
    private static String scrape(Http http) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(http.base + "/metrics")).timeout(Http.TIMEOUT)
                .header("Authorization", "Bearer " + METRICS_TOKEN);
        Http.Reply r = http.send(b.GET());
        assertEquals(200, r.status(), r.raw());
        return r.raw();
    }

    private static void assertSessionsEqualStats(Map<String, JsonNode> scrape, JsonNode stats) {
        for (String status : List.of("waiting", "active", "ended")) {
            assertEquals(stats.path(status + "_sessions").asDouble(),
                    value(scrape, "cskit_sessions", Map.of("status", status)), "sessions " + status + " vs " + stats);
        }
        assertEquals(stats.path("total_sessions").asDouble(), value(scrape, "cskit_sessions", Map.of("status", "waiting"))
                + value(scrape, "cskit_sessions", Map.of("status", "active"))
                + value(scrape, "cskit_sessions", Map.of("status", "ended")));
        // A fresh server restored nothing, so every session it counts was created here. (A counter named
        // cskit_sessions_created once vanished: the Prometheus client folds the _created suffix into cskit_sessions.)
        assertEquals(stats.path("total_sessions").asDouble(), value(scrape, "cskit_session_creations_total", null));
    }

    /** Every counter sample of each scrape is at least what it was in the scrape before. */
    private static void assertCountersNeverGoDown(List<Map<String, JsonNode>> parsed) {
        Map<String, Double> before = new TreeMap<>();
        for (int i = 0; i < parsed.size(); i++) {
            for (JsonNode family : parsed.get(i).values()) {
                if (!"COUNTER".equals(family.path("type").asText())) {
                    continue;
                }
                for (JsonNode m : family.path("metrics")) {
                    String key = family.path("name").asText() + m.path("labels");
                    double v = Double.parseDouble(m.path("value").asText());
                    Double was = before.put(key, v);
                    assertTrue(was == null || v >= was, key + " went down from " + was + " to " + v + " in scrape " + i);
                }
            }
        }
    }

    /** The value of a gauge's or counter's sample with exactly these labels (null: none). */
    private static double value(Map<String, JsonNode> scrape, String family, @Nullable Map<String, String> labels) {
        JsonNode f = scrape.get(family);
        assertTrue(f != null, () -> "no metric family " + family + " in " + scrape.keySet());
        for (JsonNode m : f.path("metrics")) {
            if (labelsOf(m).equals(labels == null ? Map.of() : labels)) {
                return Double.parseDouble(m.path("value").asText());
            }
        }
        throw new AssertionError("no sample of " + family + " with labels " + labels + ": " + f);
    }

    private static double histogramCount(Map<String, JsonNode> scrape, String family) {
        JsonNode f = scrape.get(family);
        assertTrue(f != null && "HISTOGRAM".equals(f.path("type").asText()), () -> family + " is not a histogram");
        return Double.parseDouble(f.path("metrics").get(0).path("count").asText());
    }

    private static Map<String, String> labelsOf(JsonNode sample) {
        Map<String, String> out = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = sample.path("labels").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    /** Each scrape as parsed by parse-prometheus-text-format: metric families by name. */
    private static List<Map<String, JsonNode>> parse(List<String> scrapes) throws IOException {
        NodeScript.Run run = NodeScript.run(Duration.ofSeconds(60), Http.JSON.writeValueAsString(scrapes),
                "prom-parse.mjs");
        assertEquals(0, run.exit(), () -> "a scrape did not parse: " + run.output());
        JsonNode result = Http.JSON.readTree(run.lastLine());
        List<Map<String, JsonNode>> out = new ArrayList<>();
        for (JsonNode scrape : result.path("scrapes")) {
            Map<String, JsonNode> families = new TreeMap<>();
            scrape.forEach(f -> families.put(f.path("name").asText(), f));
            out.add(families);
        }
        assertEquals(scrapes.size(), out.size());
        return out;
    }
}
