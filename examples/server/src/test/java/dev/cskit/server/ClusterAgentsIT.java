/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cskit.store.redis.RedisServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
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
 * Issue 17, item 2: the agent pool, the FIFO queue and the ring offers of three server nodes (child JVMs, heaps
 * capped at 256 MB) in one real {@code redis-server}. Agent {@code agent_b}'s desk is on node B, {@code agent_c}'s on
 * node C; customers' sessions are made on every node. Each desk records every lobby frame with the time it came, and
 * the test checks them: the queue is served oldest first whatever node took each session; with 8 threads making
 * sessions on the 3 nodes and both agents taking calls, no agent is offered a second session before its offer
 * ended and no session is offered twice; a silent agent's ring times out and the next agent is rung; kill -9 of the
 * node that set a ring (its lease) still times it out from another node; kill -9 of the node holding a busy agent's
 * desk leaves the agent neither busy nor ringing once its call ends, and it checks in again on another node. The
 * cluster is started once for the class; the kills come last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class ClusterAgentsIT {

    private static final String LINK_SECRET = "cluster-agents-it-secret-0123456789";
    private static final int RING_TIMEOUT_S = 5;

    @TempDir
    static Path dir;

    private RedisServer redis;
    private final Map<String, ChildServer> nodes = new HashMap<>();
    private final Map<String, Http> http = new HashMap<>();
    private final ExecutorService background = Executors.newFixedThreadPool(2);
    private Desk deskB;
    private Desk deskC;

    @BeforeAll
    void startCluster() throws Exception {
        redis = RedisServer.start(dir.resolve("redis"));
        for (String id : List.of("a", "b", "c")) {
            ChildServer n = node("node-" + id);
            nodes.put(id, n);
            Http h = new Http(n.port(), null); // admin over loopback
            http.put(id, h);
            for (String agent : List.of("agent_b", "agent_c")) { // each node keeps its own agent accounts
                h.post("/customer-service/agents", Http.obj().put("id", agent).put("name", agent)
                        .put("password", "pw-" + agent).toString()).data();
            }
        }
        deskB = Desk.open("agent_b", "b", http.get("b"), nodes.get("b").port());
        deskC = Desk.open("agent_c", "c", http.get("c"), nodes.get("c").port());
        await("both desks online on node a", () -> state("a", "agent_b").equals("online")
                && state("a", "agent_c").equals("online"));
    }

    private ChildServer node(String id) throws IOException {
        Path config = dir.resolve(id + ".yaml");
        Files.writeString(config, String.join("\n",
                "server: { public_ip: 127.0.0.1 }",
                "customer_service:",
                "  link_secret: " + LINK_SECRET,
                "  auto_assign: true",
                "  ring_timeout: " + RING_TIMEOUT_S,
                "  wrap_up: 0",
                "  max_sessions: 500",
                "cluster:",
                "  redis: " + redis.uri(0),
                "  node_id: " + id,
                "  public_url: http://127.0.0.1",
                ""));
        return ChildServer.start(List.of(ChildServer.java(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "dev.cskit.server.Main", "--config", config.toString(), "--port", "0", "--media-port", "0",
                "--data-dir", dir.resolve(id).toString()));
    }

    @AfterAll
    void stopCluster() {
        background.shutdownNow();
        List<AutoCloseable> all = new ArrayList<>();
        all.add(deskB);
        all.add(deskC);
        all.addAll(nodes.values());
        all.add(redis);
        for (AutoCloseable c : all) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // keep closing the others
            }
        }
    }

    // ---------------------------------------------------------------- tests

    @Test
    @Order(1)
    void theQueueIsServedOldestFirstWhicheverNodeTookEachSession() {
        List<String> ids = new ArrayList<>();
        for (String node : List.of("a", "b", "c", "a")) {
            ids.add(http.get(node).createSession("FIFO " + node, "Ann").path("id").asText());
        }
        List<String> queued = new ArrayList<>();
        http.get("c").get("/customer-service/queue").data().path("queue")
                .forEach(q -> queued.add(q.path("session_id").asText()));
        assertEquals(ids, queued, "the queue on node c");

        int before = deskB.offers().size();
        deskB.takeCalls(true);
        deskB.send("agent_ready", null);
        await("agent_b took the 4 calls", () -> ended(ids));
        deskB.takeCalls(false);
        deskB.send("agent_not_ready", null);
        List<String> offered = deskB.offers().subList(before, before + 4).stream().map(f -> f.sessionId).toList();
        assertEquals(ids, offered, "the order agent_b was offered the sessions in");
        await("agent_b online", () -> state("b", "agent_b").equals("online"));
    }

    @Test
    @Order(2)
    void eightThreadsOnThreeNodesNeverOfferOneAgentTwoSessionsNorOneSessionTwoAgents() throws Exception {
        deskB.takeCalls(true);
        deskC.takeCalls(true);
        deskB.send("agent_ready", null);
        deskC.send("agent_ready", null);
        List<String> ids = new CopyOnWriteArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                Http node = http.get(List.of("a", "b", "c").get(t % 3));
                int thread = t;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < 3; i++) {
                        ids.add(node.createSession("Race " + thread + "/" + i, "Ann").path("id").asText());
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(24, ids.size());
        await("the 24 calls were taken and ended", () -> ended(ids));
        deskB.takeCalls(false);
        deskC.takeCalls(false);

        Map<String, List<String>> offeredTo = new HashMap<>();
        for (Desk d : List.of(deskB, deskC)) {
            String ringing = null;
            for (Frame f : d.frames) {
                switch (f.action) {
                    case "incoming_call" -> {
                        assertEquals(null, ringing, () -> d.agentId + " was offered " + f.sessionId + " while "
                                + "its offer of another session rang: " + d.frames);
                        ringing = f.sessionId;
                        offeredTo.computeIfAbsent(f.sessionId, k -> new ArrayList<>()).add(d.agentId);
                    }
                    case "incoming_accepted", "incoming_cancelled" -> {
                        if (f.sessionId.equals(ringing)) {
                            ringing = null;
                        }
                    }
                    default -> {
                    }
                }
            }
        }
        for (String id : ids) {
            assertEquals(1, offeredTo.getOrDefault(id, List.of()).size(), () -> id + " was offered to "
                    + offeredTo.get(id));
            assertEquals("closed", http.get("a").session(id).path("end_reason").asText());
        }
        assertTrue(deskB.accepted().stream().anyMatch(ids::contains), "agent_b took calls too");
        assertTrue(deskC.accepted().stream().anyMatch(ids::contains), "agent_c took calls too");
    }

    @Test
    @Order(3)
    void aSilentAgentsRingTimesOutAndTheNextAgentIsRung() {
        makeBRungFirst();
        String id = http.get("a").createSession("Nobody answers", "Ann").path("id").asText();
        Frame rang = deskB.awaitFrame("incoming_call", id);
        Frame cancelled = deskB.awaitFrame("incoming_cancelled", id);
        assertEquals("timeout", cancelled.json.path("reason").asText());
        assertTrue(Duration.between(rang.at, cancelled.at).toMillis() >= (RING_TIMEOUT_S - 1) * 1000L,
                () -> "the ring lasted " + Duration.between(rang.at, cancelled.at));
        deskC.awaitFrame("incoming_accepted", id);
        await(id + " ended", () -> ended(List.of(id)));
        assertEquals("online", state("c", "agent_b"), "a silent agent is set not ready");
        deskC.takeCalls(false);
    }

    @Test
    @Order(4)
    void aRingWhoseNodeWasKilledStillTimesOutFromAnotherNode() {
        makeBRungFirst();
        deskC.endCalls(false); // agent_c keeps this call: the next test kills its node during it
        String id = http.get("a").createSession("Node a dies", "Ann").path("id").asText(); // node a sets the ring
        Frame rang = deskB.awaitFrame("incoming_call", id);
        nodes.get("a").kill();
        Frame cancelled = deskB.awaitFrame("incoming_cancelled", id);
        assertEquals("timeout", cancelled.json.path("reason").asText());
        assertTrue(Duration.between(rang.at, cancelled.at).toMillis() >= (RING_TIMEOUT_S - 1) * 1000L);
        deskC.awaitFrame("incoming_accepted", id);
        await("agent_c busy on node b", () -> state("b", "agent_c").equals("busy"));
        assertEquals("online", state("b", "agent_b"));
        deskC.takeCalls(false);
    }

    @Test
    @Order(5)
    void aBusyAgentWhoseNodeWasKilledIsNotLeftBusyAndChecksInOnAnotherNode() throws Exception {
        String id = deskC.accepted().get(deskC.accepted().size() - 1);
        assertEquals("Active", http.get("b").session(id).path("status").asText());
        nodes.get("c").kill();
        await("agent_c's presence lost on node b", () -> !agent("b", "agent_c").path("present").asBoolean());
        assertEquals("busy", state("b", "agent_c"), "its call goes on");
        http.get("b").delete("/customer-service/sessions/" + id).data();
        await("agent_c not busy after its call", () -> state("b", "agent_c").equals("offline"));

        try (Desk again = Desk.open("agent_c", "b", http.get("b"), nodes.get("b").port())) {
            await("agent_c online on node b", () -> state("b", "agent_c").equals("online"));
            again.send("agent_ready", null);
            await("agent_c ready on node b", () -> state("b", "agent_c").equals("ready"));
            String next = http.get("b").createSession("After the crash", "Ann").path("id").asText();
            again.awaitFrame("incoming_call", next);
        }
    }

    // ---------------------------------------------------------------- helpers

    /** agent_b and agent_c Ready, agent_b idle the longest (so rung first); agent_b silent, agent_c answering. */
    private void makeBRungFirst() {
        deskB.takeCalls(false);
        deskC.takeCalls(true);
        deskC.endCalls(true);
        deskC.send("agent_not_ready", null);
        deskB.send("agent_ready", null);
        await("agent_b ready", () -> state("b", "agent_b").equals("ready"));
        deskC.send("agent_ready", null);
        await("agent_c ready", () -> state("b", "agent_c").equals("ready"));
        assertTrue(agent("b", "agent_b").path("idle_since").asText()
                .compareTo(agent("b", "agent_c").path("idle_since").asText()) < 0, "agent_b idle the longest");
    }

    private JsonNode agent(String node, String agentId) {
        for (JsonNode a : http.get(node).get("/customer-service/agents").data().path("agents")) {
            if (a.path("id").asText().equals(agentId)) {
                return a;
            }
        }
        throw new AssertionError("no agent " + agentId + " on node " + node);
    }

    private String state(String node, String agentId) {
        return agent(node, agentId).path("state").asText();
    }

    private boolean ended(List<String> ids) {
        Http any = http.get("b");
        return ids.stream().allMatch(id -> any.session(id).path("status").asText().equals("Ended"));
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /** One lobby frame as it came. */
    record Frame(java.time.Instant at, String action, String sessionId, JsonNode json) {
    }

    /**
     * An agent's desk: a lobby socket ({@code ?type=cs_agent}) that records every frame with its arrival time and,
     * when told to, accepts each offer and ends each call it got (on its node, over HTTP, off the socket's thread).
     */
    static final class Desk implements AutoCloseable {
        final String agentId;
        final List<Frame> frames = new CopyOnWriteArrayList<>();
        private final Http http;
        private final WebSocket ws;
        private final ExecutorService worker = Executors.newSingleThreadExecutor();
        private volatile boolean takeCalls;
        private volatile boolean endCalls = true;

        private Desk(String agentId, Http http, int port) {
            this.agentId = agentId;
            this.http = http;
            WebSocket.Listener listener = new WebSocket.Listener() {
                private final StringBuilder text = new StringBuilder();

                @Override
                public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                    text.append(data);
                    if (last) {
                        received(text.toString());
                        text.setLength(0);
                    }
                    w.request(1);
                    return null;
                }
            };
            this.ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/room?type=cs_agent"), listener)
                    .orTimeout(10, TimeUnit.SECONDS).join();
        }

        static Desk open(String agentId, String node, Http http, int port) {
            Desk d = new Desk(agentId, http, port);
            String token = http.login(agentId, "pw-" + agentId);
            d.ws.sendText(Http.obj().put("action", "join").put("room_id", "agent/" + agentId).put("user_id", agentId)
                    .put("token", token).toString(), true).join();
            d.awaitFrame("joined", null);
            return d;
        }

        private void received(String text) {
            JsonNode f;
            try {
                f = Http.JSON.readTree(text);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + text, e);
            }
            Frame frame = new Frame(java.time.Instant.now(), f.path("action").asText(),
                    f.path("session_id").asText(null), f);
            frames.add(frame);
            if (takeCalls && frame.action.equals("incoming_call")) {
                worker.execute(() -> send("accept_incoming", frame.sessionId));
            } else if (endCalls && frame.action.equals("incoming_accepted")) {
                worker.execute(() -> http.delete("/customer-service/sessions/" + frame.sessionId).data());
            }
        }

        void takeCalls(boolean value) {
            takeCalls = value;
        }

        void endCalls(boolean value) {
            endCalls = value;
        }

        synchronized void send(String action, String sessionId) {
            var f = Http.obj().put("action", action).put("room_id", "agent/" + agentId).put("user_id", agentId);
            if (sessionId != null) {
                f.put("session_id", sessionId).put("media", "audio");
            }
            ws.sendText(f.toString(), true).orTimeout(5, TimeUnit.SECONDS).join();
        }

        List<Frame> offers() {
            return frames.stream().filter(f -> f.action.equals("incoming_call")).toList();
        }

        List<String> accepted() {
            return frames.stream().filter(f -> f.action.equals("incoming_accepted")).map(Frame::sessionId).toList();
        }

        /** Waits for a frame with this action (and session, unless null) that came; fails after 60 s. */
        Frame awaitFrame(String action, String sessionId) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                for (Frame f : frames) {
                    if (f.action.equals(action) && (sessionId == null || sessionId.equals(f.sessionId))) {
                        return f;
                    }
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
            throw new AssertionError(agentId + ": no " + action + " " + sessionId + " within 60 s; got " + frames);
        }

        @Override
        public void close() {
            worker.shutdownNow();
            ws.abort();
        }
    }
}
