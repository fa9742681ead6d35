/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cskit.media.dtls.DtlsCertificate;
import dev.cskit.testkit.ClientPeer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, items 4 and 5 (acceptance 3): three nodes (child JVMs on the test class path, heaps capped at 256 MB,
 * each on its own HTTP port with {@code cluster.public_url} on it and {@code public_ip: 127.0.0.1}) and one real
 * {@code redis-server}, started once for the class.
 * <ol>
 *   <li>{@code GET /customer-service/nodes} on every node lists the three live nodes.</li>
 *   <li>A werift call ({@code werift-cluster-call.mjs}): the customer publishes and plays through node B, whose
 *       WHIP/WHEP are forwarded to the session's media home A (the least loaded); the agent publishes and plays on A.
 *       Every answer's {@code Location} is absolute on A and its candidates are A's media ports; the payloads arrive
 *       intact both ways; A's load shows in the node list during the call; the customer's DELETEs through B reach A;
 *       the metrics of each node carry its node id.</li>
 *   <li>A call closed on C whose media is on A: A closes the call's WHIP resource (the change reaches the home).</li>
 *   <li>A drain of A (from C) takes it out of the choice: a new session's first WHIP, sent to A, is homed elsewhere,
 *       while a session homed on A stays there.</li>
 *   <li>SIGTERM of B while it hosts a call: B is listed draining until the call ends, then leaves the list. kill -9
 *       of the node C that is the home of a session: until C leaves the list (within the TTL) its session's WHIP
 *       gets 502 naming C; then the next WHIP gives the session a new home.</li>
 * </ol>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class ClusterMediaIT {

    private static final String AGENT = "agent_001";
    private static final String LINK_SECRET = "cluster-media-it-link-secret-0123456789";
    private static final Pattern MEDIA_PORTS = Pattern.compile("WebRTC media on udp/([0-9,]+)");
    private static final DtlsCertificate CLIENT_CERT = DtlsCertificate.generate();

    @TempDir
    static Path dir;

    private ClusterNodes cluster;
    private final Map<String, ChildServer> nodes = new java.util.LinkedHashMap<>();
    private final Map<String, Http> http = new java.util.HashMap<>();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ExecutorService threads;
    private String homedOnA;

    @BeforeAll
    void startCluster() throws Exception {
        threads = Executors.newCachedThreadPool();
        cluster = ClusterNodes.start(dir);
        for (String id : List.of("node-a", "node-b", "node-c")) {
            ChildServer node = node(id);
            nodes.put(id, node);
            http.put(id, new Http(node.port(), null)); // admin over loopback
        }
        await("every node lists the three", () -> nodeIds(http.get("node-a")).size() == 3);
    }

    private ChildServer node(String id) throws Exception {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            Path config = cluster.config(id, List.of(
                    "server: { public_ip: 127.0.0.1, drain_timeout: 120 }",
                    "customer_service:",
                    "  link_secret: " + LINK_SECRET,
                    "  auto_assign: false",
                    "  media_connect_timeout: 120"), // an unconnected resource ends with its call, not before
                    "  public_url: http://127.0.0.1:" + port);
            try {
                return cluster.node(id, config, ClusterNodes.CLASS_PATH, port);
            } catch (AssertionError e) {
                last = new IOException("node " + id + " did not start on port " + port, e); // the port was taken
            }
        }
        throw last;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
        if (threads != null) {
            threads.shutdownNow();
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        Await.until(what, condition, Duration.ofSeconds(60), Duration.ofMillis(100));
    }

    private static JsonNode nodeList(Http node) {
        return node.get("/customer-service/nodes").data();
    }

    private static Set<String> nodeIds(Http node) {
        Set<String> ids = new HashSet<>();
        nodeList(node).path("nodes").forEach(n -> ids.add(n.path("node_id").asText()));
        return ids;
    }

    private static JsonNode entry(Http node, String id) {
        for (JsonNode n : nodeList(node).path("nodes")) {
            if (n.path("node_id").asText().equals(id)) {
                return n;
            }
        }
        throw new AssertionError("node " + id + " is not listed: " + nodeList(node));
    }

    private String base(String id) {
        return "http://127.0.0.1:" + nodes.get(id).port();
    }

    private Set<Integer> mediaPorts(String id) {
        Matcher m = MEDIA_PORTS.matcher(nodes.get(id).output());
        assertTrue(m.find(), () -> "no media ports in the log of " + id);
        Set<Integer> ports = new HashSet<>();
        for (String p : m.group(1).split(",")) {
            ports.add(Integer.parseInt(p));
        }
        return ports;
    }

    /** A session assigned to agent_001, with its links and customer id. */
    private record Call(String id, String customerId, String customerToken, String agentToken) {
    }

    private Call call(Http on) {
        JsonNode s = on.createSession("Cluster media", "Ann");
        String id = s.path("id").asText();
        on.assign(id, AGENT, "Agent Wang");
        JsonNode links = on.links(id);
        return new Call(id, s.path("customer_id").asText(), links.path("customer_token").asText(),
                links.path("agent_token").asText());
    }

    /** POSTs a loopback peer's WHIP offer for the customer of {@code c} to node {@code via}. */
    private HttpResponse<String> whip(String via, Call c) throws Exception {
        LoopbackPeer peer = new LoopbackPeer(ClientPeer.Role.PUBLISH, threads, CLIENT_CERT);
        try {
            return client.send(HttpRequest.newBuilder(URI.create(base(via) + "/webrtc/whip/customer-service/" + c.id()
                            + "/" + c.customerId()))
                    .header("Content-Type", "application/sdp").header("Authorization", "Bearer " + c.customerToken())
                    .POST(HttpRequest.BodyPublishers.ofString(peer.peer.offer())).build(),
                    HttpResponse.BodyHandlers.ofString());
        } finally {
            peer.close();
        }
    }

    private static String mediaNode(HttpResponse<?> r) {
        return r.headers().firstValue("X-Cskit-Media-Node").orElse("(none)");
    }

    private static double metric(Http node, String name, String nodeId) {
        String text = node.get("/metrics").raw();
        Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*node_id=\"" + Pattern.quote(nodeId) + "\"[^}]*} (\\S+)$")
                .matcher(text);
        assertTrue(m.find(), () -> name + "{node_id=" + nodeId + "} is not in /metrics:\n" + text);
        return Double.parseDouble(m.group(1));
    }

    @Test
    @Order(1)
    void everyNodeListsTheLiveNodesWithTheirCallsAndLoad() {
        for (String self : nodes.keySet()) {
            JsonNode list = nodeList(http.get(self));
            assertEquals(self, list.path("node_id").asText());
            assertEquals(3, list.path("total").asInt(), list::toString);
            assertEquals(8, list.path("ttl_seconds").asInt());
            for (String id : nodes.keySet()) {
                JsonNode n = entry(http.get(self), id);
                assertEquals(base(id), n.path("url").asText());
                assertEquals(0, n.path("peers").asInt(), n::toString);
                assertEquals(0, n.path("calls").asInt(), n::toString);
                assertEquals(false, n.path("draining").asBoolean());
                assertEquals(id.equals(self), n.path("self").asBoolean());
                assertTrue(n.path("last_seen").isTextual());
            }
        }
    }

    @Test
    @Order(2)
    void aCustomersWhipOnBIsForwardedToHomeAAndAWeriftCallDecodesMediaBothWays() throws Exception {
        Call c = call(http.get("node-a"));
        homedOnA = c.id();
        CompletableFuture<NodeScript.Run> run = CompletableFuture.supplyAsync(() -> NodeScript.run(
                Duration.ofSeconds(120), null,
                "werift-cluster-call.mjs", "--customer-base", base("node-b"), "--agent-base", base("node-a"),
                "--session", c.id(), "--customer-id", c.customerId(), "--customer-token", c.customerToken(),
                "--agent-token", c.agentToken(), "--packets", "300"), threads);
        // The home's load shows in the list while the call runs (the heartbeat every 2 s carries it).
        int mostPeers = 0;
        while (!run.isDone()) {
            mostPeers = Math.max(mostPeers, entry(http.get("node-c"), "node-a").path("peers").asInt());
            Thread.sleep(200);
        }
        NodeScript.Run werift = run.join();
        assertEquals(0, werift.exit(), () -> "werift-cluster-call.mjs failed: " + werift.output());
        JsonNode result = Http.JSON.readTree(werift.lastLine());

        String onA = base("node-a") + "/webrtc/session/";
        Set<Integer> portsOfA = mediaPorts("node-a");
        Set<Integer> portsOfB = mediaPorts("node-b");
        assertEquals(4, result.path("negotiations").size());
        for (JsonNode n : result.path("negotiations")) {
            assertEquals("node-a", n.path("media_node").asText(), n::toString);
            assertTrue(n.path("location").asText().startsWith(onA), () -> "Location not absolute on A: " + n);
            assertTrue(n.path("etag").isTextual(), n::toString);
            assertTrue(n.path("candidates").size() > 0, n::toString);
            for (JsonNode cand : n.path("candidates")) {
                String[] f = cand.asText().split(" ");
                assertEquals("127.0.0.1", f[4], cand::asText);
                int port = Integer.parseInt(f[5]);
                assertTrue(portsOfA.contains(port) && !portsOfB.contains(port),
                        () -> "candidate " + cand + " is not on A's media ports " + portsOfA);
            }
        }
        assertEquals(base("node-b"), result.path("negotiations").get(0).path("via").asText(), "the customer via B");
        for (String side : List.of("customer_received", "agent_received")) {
            for (String kind : List.of("audio", "video")) {
                assertTrue(result.path(side).path(kind).path("intact").asInt() >= 270, result::toString);
                assertEquals(0, result.path(side).path(kind).path("wrong").asInt(), result::toString);
            }
        }
        assertEquals(Map.of("customer_whip", 200, "customer_whep", 200, "agent_whip", 200, "agent_whep", 200),
                Http.JSON.convertValue(result.path("deletes"), Map.class));
        assertTrue(mostPeers >= 4, "node-a's listed peers during the call peaked at " + mostPeers);

        // Per-node metrics: each node names itself; B forwarded the customer's 2 POSTs and 2 DELETEs.
        assertEquals(1, metric(http.get("node-a"), "cskit_cluster_node", "node-a"));
        assertEquals(3, metric(http.get("node-b"), "cskit_cluster_nodes", "node-b"));
        assertTrue(metric(http.get("node-b"), "cskit_media_forwarded_total", "node-b") >= 4);
        assertEquals(0, metric(http.get("node-a"), "cskit_media_forwarded_total", "node-a"));
        await("node-a's peers are gone from the list", () -> entry(http.get("node-b"), "node-a").path("peers")
                .asInt() == 0);
    }

    @Test
    @Order(3)
    void aCallEndedOnAnotherNodeClosesItsMediaOnTheHome() throws Exception {
        Call c = call(http.get("node-a"));
        HttpResponse<String> r = whip("node-b", c);
        assertEquals(201, r.statusCode(), r.body());
        assertEquals("node-a", mediaNode(r));
        await("node-a lists the resource", () -> entry(http.get("node-b"), "node-a").path("peers").asInt() == 1);

        http.get("node-c").delete("/customer-service/sessions/" + c.id()).data(); // closed on C
        await("node-a's media of the closed call is gone",
                () -> entry(http.get("node-b"), "node-a").path("peers").asInt() == 0);
        String location = r.headers().firstValue("Location").orElseThrow();
        HttpResponse<String> gone = client.send(HttpRequest.newBuilder(URI.create(location))
                .header("Authorization", "Bearer " + c.customerToken()).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, gone.statusCode(), gone.body());
    }

    @Test
    @Order(4)
    void aDrainedNodeKeepsItsSessionsButTakesNoNewHomes() throws Exception {
        http.get("node-c").post("/customer-service/nodes/node-a/drain", "").data();
        http.get("node-c").post("/customer-service/nodes/node-x/drain", "").assertError(404, "no live node node-x");
        assertTrue(entry(http.get("node-b"), "node-a").path("draining").asBoolean());
        await("node-a's metrics say it drains", () -> metric(http.get("node-a"), "cskit_node_draining", "node-a") == 1);

        Call fresh = call(http.get("node-b"));
        HttpResponse<String> r = whip("node-a", fresh);
        assertEquals(201, r.statusCode(), r.body());
        assertNotEquals("node-a", mediaNode(r));
        assertTrue(!r.headers().firstValue("Location").orElseThrow().startsWith(base("node-a")), r.headers()::toString);

        Call old = new Call(homedOnA, "", "", "");
        JsonNode again = http.get("node-a").links(old.id());
        Call oldAgain = new Call(old.id(), http.get("node-a").session(old.id()).path("customer_id").asText(),
                again.path("customer_token").asText(), again.path("agent_token").asText());
        HttpResponse<String> stays = whip("node-c", oldAgain);
        assertEquals(201, stays.statusCode(), stays.body());
        assertEquals("node-a", mediaNode(stays), "a session homed on a draining node stays there");
    }

    @Test
    @Order(5)
    void sigtermDrainsANodeAndAKilledNodeLeavesTheListWithinItsTtlAndItsSessionGetsANewHome() throws Exception {
        // B hosts a call, so SIGTERM leaves it draining (up to drain_timeout) rather than gone at once.
        Call hosted = call(http.get("node-b"));
        String customerId = http.get("node-b").session(hosted.id()).path("customer_id").asText();
        try (RoomClient customer = RoomClient.connect("customer", nodes.get("node-b").port());
             RoomClient agent = RoomClient.connect("agent", nodes.get("node-b").port())) {
            customer.join(hosted.id(), customerId, hosted.customerToken());
            agent.join(hosted.id(), AGENT, hosted.agentToken());
            agent.action("accept_call", hosted.id(), AGENT);
            customer.expect("call_accepted");
            nodes.get("node-b").terminate();
            await("node-b drains", () -> entry(http.get("node-a"), "node-b").path("draining").asBoolean());
            assertEquals(1, entry(http.get("node-a"), "node-b").path("calls").asInt());

            Call c = call(http.get("node-a")); // only node-c takes new homes now
            HttpResponse<String> first = whip("node-a", c);
            assertEquals(201, first.statusCode(), first.body());
            assertEquals("node-c", mediaNode(first));

            nodes.get("node-c").kill();
            long killed = System.nanoTime();
            HttpResponse<String> down = whip("node-b", c);
            assertEquals(502, down.statusCode(), down.body());
            assertTrue(down.body().contains("on node node-c"), down.body());
            assertEquals("2", down.headers().firstValue("Retry-After").orElse(""));

            await("node-c leaves the list", () -> !nodeIds(http.get("node-a")).contains("node-c"));
            long gone = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - killed);
            assertTrue(gone <= 8 + 2, "node-c was listed " + gone + " s after its kill (TTL 8 s)");
            assertEquals(Set.of("node-a", "node-b"), nodeIds(http.get("node-b")));

            HttpResponse<String> rehomed = whip("node-b", c);
            assertEquals(201, rehomed.statusCode(), rehomed.body());
            assertEquals("node-b", mediaNode(rehomed), "every live node drains: the node asked takes the new home");

            agent.action("end_call", hosted.id(), AGENT);
            customer.expect("call_ended");
        }
        assertTrue(nodes.get("node-b").waitForExit(Duration.ofSeconds(60)), "node-b stops once its call ended");
        assertEquals(Set.of("node-a"), nodeIds(http.get("node-a")), "a node that stops leaves the list at once");
    }
}
