/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    private ClusterNodes cluster;
    private final Map<String, ChildServer> nodes = new HashMap<>();
    private final Map<String, Http> http = new HashMap<>();
    private final ExecutorService background = Executors.newFixedThreadPool(2);
    private AgentDesk deskB;
    private AgentDesk deskC;

    @BeforeAll
    void startCluster() throws Exception {
        cluster = ClusterNodes.start(dir);
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
        deskB = cluster.closeLater(AgentDesk.open("agent_b", "b", http.get("b"), nodes.get("b").port()));
        deskC = cluster.closeLater(AgentDesk.open("agent_c", "c", http.get("c"), nodes.get("c").port()));
        await("both desks online on node a", () -> state("a", "agent_b").equals("online")
                && state("a", "agent_c").equals("online"));
    }

    private ChildServer node(String id) throws IOException {
        Path config = cluster.config(id, List.of(
                "server: { public_ip: 127.0.0.1 }",
                "customer_service:",
                "  link_secret: " + LINK_SECRET,
                "  auto_assign: true",
                "  ring_timeout: " + RING_TIMEOUT_S,
                "  wrap_up: 0",
                "  max_sessions: 500"),
                "  public_url: http://127.0.0.1");
        return cluster.node(id, config, ClusterNodes.CLASS_PATH, 0);
    }

    @AfterAll
    void stopCluster() {
        background.shutdownNow();
        if (cluster != null) {
            cluster.close();
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
        List<String> offered = deskB.offers().subList(before, before + 4).stream().map(f -> f.sessionId()).toList();
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
        for (AgentDesk d : List.of(deskB, deskC)) {
            String ringing = null;
            for (AgentDesk.Frame f : d.frames) {
                switch (f.action()) {
                    case "incoming_call" -> {
                        assertEquals(null, ringing, () -> d.agentId + " was offered " + f.sessionId() + " while "
                                + "its offer of another session rang: " + d.frames);
                        ringing = f.sessionId();
                        offeredTo.computeIfAbsent(f.sessionId(), k -> new ArrayList<>()).add(d.agentId);
                    }
                    case "incoming_accepted", "incoming_cancelled" -> {
                        if (f.sessionId().equals(ringing)) {
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
        AgentDesk.Frame rang = deskB.awaitFrame("incoming_call", id);
        AgentDesk.Frame cancelled = deskB.awaitFrame("incoming_cancelled", id);
        assertEquals("timeout", cancelled.json().path("reason").asText());
        assertTrue(Duration.between(rang.at(), cancelled.at()).toMillis() >= (RING_TIMEOUT_S - 1) * 1000L,
                () -> "the ring lasted " + Duration.between(rang.at(), cancelled.at()));
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
        AgentDesk.Frame rang = deskB.awaitFrame("incoming_call", id);
        nodes.get("a").kill();
        AgentDesk.Frame cancelled = deskB.awaitFrame("incoming_cancelled", id);
        assertEquals("timeout", cancelled.json().path("reason").asText());
        assertTrue(Duration.between(rang.at(), cancelled.at()).toMillis() >= (RING_TIMEOUT_S - 1) * 1000L);
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

        try (AgentDesk again = AgentDesk.open("agent_c", "b", http.get("b"), nodes.get("b").port())) {
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
        return ClusterReads.agent(http.get(node), agentId);
    }

    private String state(String node, String agentId) {
        return ClusterReads.agentState(http.get(node), agentId);
    }

    private boolean ended(List<String> ids) {
        Http any = http.get("b");
        return ids.stream().allMatch(id -> any.session(id).path("status").asText().equals("Ended"));
    }

    private static void await(String what, BooleanSupplier condition) {
        Await.until(what, condition, Duration.ofSeconds(90));
    }
}
