/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Issue 17, steps 1 and acceptance 4: three server nodes (child JVMs, heaps capped at 256 MB; two on the test class
 * path, one the shaded {@code cs-server.jar}) share their sessions in one real {@code redis-server}
 * ({@code cluster.redis}). A session made on one node is read, assigned and listed on another and {@code /stats} agrees
 * on all; 8 threads on the three nodes racing the same transition give one winner per session and 409 to the rest
 * (HTTP: closing, the one transition the HTTP API races on; accepting is a room action), and 8 {@code accept_call}s,
 * two per call, on the seat its agent moved from one node to the other (rooms are shared: the old socket hears
 * {@code replaced}), give one {@code call_accepted} and one {@code error} {@code conflict} per call; 8 threads on the
 * three nodes creating 80 sessions for fewer than {@code max_sessions} places fill it exactly, never past it, and the
 * rest get 429; a Redis restart (AOF on) keeps every session, a create during it gets 503 and is not made, and the
 * nodes reconnect. The cluster is started once for the class; the restart comes last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class ClusterIT {

    private static final String AGENT = "agent_001";
    /** Every node's {@code max_sessions}: a cluster-wide bound, raced by the creates of test 4. */
    private static final int MAX_SESSIONS = 40;
    private static final String LINK_SECRET = "cluster-it-link-secret-0123456789";

    @TempDir
    static Path dir;

    private ClusterNodes cluster;
    private ChildServer nodeA;
    private ChildServer nodeB;
    private ChildServer nodeC;
    private Http a;
    private Http b;
    private Http c;

    @BeforeAll
    void startCluster() throws Exception {
        cluster = ClusterNodes.start(dir);
        nodeA = node("node-a", ClusterNodes.CLASS_PATH);
        nodeB = node("node-b", List.of("-jar", JarCurlExamplesIT.jar().toString())); // as shipped: Lettuce, one Netty
        nodeC = node("node-c", ClusterNodes.CLASS_PATH);
        a = new Http(nodeA.port(), null); // admin over loopback
        b = new Http(nodeB.port(), null);
        c = new Http(nodeC.port(), null);
    }

    private ChildServer node(String id, List<String> launch) throws Exception {
        Path config = cluster.config(id, List.of(
                "server: { public_ip: 127.0.0.1 }",
                "customer_service:",
                "  link_secret: " + LINK_SECRET,
                "  auto_assign: false",
                "  max_sessions: " + MAX_SESSIONS),
                "  public_url: http://127.0.0.1");
        return cluster.node(id, config, launch, 0);
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        Await.until(what, condition, Duration.ofSeconds(60));
    }

    private static List<String> listed(Http node, String query) {
        List<String> ids = new ArrayList<>();
        node.get("/customer-service/sessions?page_size=100" + query).data().path("sessions")
                .forEach(s -> ids.add(s.path("id").asText()));
        return ids;
    }

    @Test
    @Order(1)
    void aSessionMadeOnOneNodeIsReadAssignedAndListedOnTheOther() {
        JsonNode made = a.createSession("Order 4711 never arrived", "Ann");
        String id = made.path("id").asText();
        assertEquals(made, b.session(id));

        JsonNode assigned = b.assign(id, AGENT, "Agent Wang");
        assertEquals(AGENT, assigned.path("agent_id").asText());
        assertEquals(assigned, a.session(id));

        assertTrue(listed(b, "&status=Waiting").contains(id));
        assertTrue(listed(a, "").contains(id));
        assertEquals(List.of(id), listed(b, "&q=4711"));
        b.get("/customer-service/sessions/cs_none").assertError(404, "no session cs_none");

        JsonNode statsA = a.stats();
        assertEquals(statsA, b.stats());
        assertTrue(statsA.path("waiting_sessions").asLong() >= 1, statsA::toString);
        assertTrue(nodeA.output().contains("cluster node node-a: sessions in Redis at redis://127.0.0.1:"),
                nodeA::output);
    }

    @Test
    @Order(2)
    void eightThreadsOnThreeNodesRacingOneTransitionGiveOneWinnerPerSession() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(List.of(a, b, c).get(i % 3).createSession("Race " + i, "Ann").path("id").asText());
        }
        long endedBefore = a.stats().path("ended_sessions").asLong();
        Map<String, AtomicInteger> closedBy = new ConcurrentHashMap<>();
        AtomicInteger conflicts = new AtomicInteger();
        List<String> unexpected = new java.util.concurrent.CopyOnWriteArrayList<>();
        onEightThreads((node, thread) -> {
            for (String id : ids) {
                Http.Reply r = node.delete("/customer-service/sessions/" + id);
                if (r.status() == 200) {
                    closedBy.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                } else if (r.status() == 409) {
                    conflicts.incrementAndGet();
                } else {
                    unexpected.add(r.status() + " " + r.raw());
                }
            }
        });
        assertEquals(List.of(), unexpected);
        for (String id : ids) {
            assertEquals(1, closedBy.get(id).get(), "closes of " + id + " that succeeded");
            assertEquals("closed", a.session(id).path("end_reason").asText());
        }
        assertEquals(ids.size() * 7, conflicts.get());
        JsonNode stats = b.stats();
        assertEquals(endedBefore + ids.size(), stats.path("ended_sessions").asLong());
        assertEquals(stats, a.stats());
        assertEquals(stats, c.stats());
    }

    @Test
    @Order(3)
    void eightAcceptsOfFourCallsWhoseAgentsMovedBetweenNodesGiveOneCallAcceptedAndOneConflictEach() throws Exception {
        // Rooms are shared between the nodes (step 3): the agent joining on node B takes over its seat on node A
        // (which hears `replaced`, and may no longer act), and two accept_calls at once on the seat give one winner.
        List<String> ids = new ArrayList<>();
        List<RoomClient> seated = new ArrayList<>();
        List<RoomClient> sockets = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int i = 0; i < 4; i++) {
                String id = a.createSession("Accept race " + i, "Ann").path("id").asText();
                b.assign(id, AGENT, "Agent Wang");
                String token = a.links(id).path("agent_token").asText();
                ids.add(id);
                ChildServer first = i % 2 == 0 ? nodeA : nodeB;
                ChildServer second = i % 2 == 0 ? nodeB : nodeA;
                RoomClient before = RoomClient.connect("agent@" + first.port() + "/" + i, first.port());
                RoomClient after = RoomClient.connect("agent@" + second.port() + "/" + i, second.port());
                sockets.addAll(List.of(before, after));
                assertEquals("joined", before.join(id, AGENT, token).path("action").asText());
                assertEquals("joined", after.join(id, AGENT, token).path("action").asText());
                before.expectError("replaced");
                before.action("accept_call", id, AGENT);
                before.expectError("not_joined");
                seated.add(after);
            }
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> sent = new ArrayList<>();
            for (int k = 0; k < 8; k++) {
                RoomClient agent = seated.get(k / 2);
                String id = ids.get(k / 2);
                sent.add(pool.submit(() -> {
                    go.await();
                    agent.action("accept_call", id, AGENT);
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : sent) {
                f.get(30, TimeUnit.SECONDS);
            }
            for (int i = 0; i < ids.size(); i++) {
                RoomClient agent = seated.get(i);
                List<String> pair = new ArrayList<>(List.of(outcome(agent.expectAny("call_accepted", "error")),
                        outcome(agent.expectAny("call_accepted", "error"))));
                pair.sort(null);
                assertEquals(List.of("call_accepted", "error conflict"), pair, "the accepts of " + ids.get(i));
                assertEquals("Active", b.session(ids.get(i)).path("status").asText());
                // An Active session's duration is counted up at each read: compare the rest.
                assertEquals(withoutDuration(a.session(ids.get(i))), withoutDuration(b.session(ids.get(i))));
            }
        } finally {
            pool.shutdownNow();
            sockets.forEach(RoomClient::close);
        }
        JsonNode stats = a.stats();
        assertTrue(stats.path("active_sessions").asLong() >= ids.size(), stats::toString);
        assertEquals(stats, b.stats());
        for (String id : ids) {
            a.delete("/customer-service/sessions/" + id).data();
        }
    }

    private static String outcome(JsonNode frame) {
        String action = frame.path("action").asText();
        return action.equals("error") ? "error " + frame.path("code").asText() : action;
    }

    /** What one racing thread does, on the node it was given. */
    private interface Racer {
        void run(Http node, int thread);
    }

    /** Runs 8 threads, spread over the three nodes and let go at once, and waits for all of them. */
    private void onEightThreads(Racer racer) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                Http node = List.of(a, b, c).get(t % 3);
                int thread = t;
                done.add(pool.submit(() -> {
                    go.await();
                    racer.run(node, thread);
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static long open(JsonNode stats) {
        return stats.path("total_sessions").asLong() - stats.path("ended_sessions").asLong();
    }

    @Test
    @Order(4)
    void eightThreadsCreatingOnThreeNodesNeverExceedMaxSessionsClusterWide() throws Exception {
        long openBefore = open(a.stats());
        assertTrue(openBefore < MAX_SESSIONS - 8, "room left under max_sessions: " + openBefore);
        List<String> made = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicInteger refused = new AtomicInteger();
        List<String> unexpected = new java.util.concurrent.CopyOnWriteArrayList<>();
        onEightThreads((node, thread) -> {
            for (int i = 0; i < 10; i++) { // 80 creates for fewer than 40 places
                Http.Reply r = node.post("/customer-service/sessions", Http.obj()
                        .put("title", "Limit " + thread + "/" + i).put("customer_name", "Ann").toString());
                if (r.status() == 200 || r.status() == 201) {
                    made.add(r.data().path("id").asText());
                } else if (r.status() == 429 && r.raw().contains("max_sessions")) {
                    refused.incrementAndGet();
                } else {
                    unexpected.add(r.status() + " " + r.raw());
                }
            }
        });
        assertEquals(List.of(), unexpected);
        assertEquals(MAX_SESSIONS - openBefore, made.size(), "creates that succeeded");
        assertEquals(80 - made.size(), refused.get());
        JsonNode stats = c.stats();
        assertEquals(MAX_SESSIONS, open(stats), stats::toString);
        assertEquals(stats, a.stats());
        assertEquals(stats, b.stats());
        // Every node refuses the next one; a close frees a place for any node.
        for (Http node : List.of(a, b, c)) {
            node.post("/customer-service/sessions", Http.obj().put("title", "One more").put("customer_name", "Bo")
                    .toString()).assertError(429, "max_sessions (" + MAX_SESSIONS + ")");
        }
        for (String id : made) {
            b.delete("/customer-service/sessions/" + id).data();
        }
        assertEquals(openBefore, open(a.stats()));
    }

    @Test
    @Order(5)
    void aRedisRestartKeepsTheSessionsAndTheNodesReconnect() throws Exception {
        String id = a.createSession("Before the restart", "Ann").path("id").asText();
        JsonNode assigned = b.assign(id, AGENT, "Agent Wang");
        JsonNode stats = a.stats();
        // An agent's desk on node C, ready, and the call's two parties on nodes A and B.
        c.patch("/customer-service/agents/" + AGENT, Http.obj().put("password", "pw-" + AGENT).toString()).data();
        AgentDesk desk = AgentDesk.open(AGENT, "c", c, nodeC.port());
        JsonNode links = a.links(id);
        String customerId = links.path("customer_id").asText();
        RoomClient customer = RoomClient.connect("customer@A", nodeA.port());
        RoomClient agent = RoomClient.connect("agent@B", nodeB.port());
        try {
            desk.endCalls(false);
            desk.send("agent_ready", null);
            await("the desk is ready, seen from node A", () -> ClusterReads.agentState(a, AGENT).equals("ready"));
            assertEquals("joined", customer.join(id, customerId, links.path("customer_token").asText())
                    .path("action").asText());
            assertEquals("joined", agent.join(id, AGENT, links.path("agent_token").asText()).path("action").asText());
            assertEquals("user_joined", customer.expectAny("user_joined").path("action").asText());
            restartRedis(id, assigned, stats);
            // The rooms, the agents and the node registry are Redis's too: all there, and the channels work again.
            await("every node listed again", () -> a.get("/customer-service/nodes").data().path("total").asInt() == 3);
            await("the desk still ready, seen from node B", () -> ClusterReads.agentState(b, AGENT).equals("ready"));
            await("both parties seated, seen from node C",
                    () -> ClusterReads.roomUsers(c, id).equals(java.util.Set.of(customerId, AGENT)));
            customer.send(Http.obj().put("action", "chat").put("text", "still there?"));
            assertEquals("still there?", agent.expectAny("chat").path("text").asText());
            agent.send(Http.obj().put("action", "chat").put("text", "yes"));
            assertEquals("yes", customer.expectAny("chat").path("text").asText());
        } finally {
            customer.close();
            agent.close();
            desk.close();
        }
    }

    private void restartRedis(String id, JsonNode assigned, JsonNode stats) throws Exception {

        cluster.stopRedis(); // SIGTERM to its PID: Redis writes its AOF out
        await("both nodes report not ready", () -> a.get("/readyz").status() == 503 && b.get("/readyz").status() == 503);
        a.get("/readyz").assertError(503, "not connected");
        // Nothing is acknowledged that Redis has not taken.
        a.post("/customer-service/sessions", Http.obj().put("title", "During").put("customer_name", "Bo").toString())
                .assertError(503, "try again later");

        cluster.restartRedis();
        await("both nodes are ready again", () -> a.get("/readyz").status() == 200 && b.get("/readyz").status() == 200);
        assertEquals(assigned, a.session(id));
        assertEquals(assigned, b.session(id));
        assertEquals(stats, b.stats());

        String after = b.createSession("After the restart", "Bo").path("id").asText();
        assertEquals("Waiting", a.session(after).path("status").asText());
        assertEquals(stats.path("total_sessions").asLong() + 1, a.stats().path("total_sessions").asLong());
    }

    private static JsonNode withoutDuration(JsonNode session) {
        com.fasterxml.jackson.databind.node.ObjectNode copy = session.deepCopy();
        copy.remove("duration");
        return copy;
    }
}
