/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.store.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.core.cluster.NodeInfo;
import dev.cskit.core.cluster.NodeRegistry;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link RedisNodeRegistry} against a real {@code redis-server}: heartbeats list a node with its load until its TTL
 * runs out, a drain sticks until the node leaves, a session's media home is claimed once by nodes racing and moves
 * only when its node is gone, and resources remember their node.
 */
@Timeout(60)
class RedisNodeRegistryIT extends AgainstRedis {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");


    private RedisNodeRegistry registry(Duration ttl) throws IOException {
        RedisNodeRegistry r = RedisNodeRegistry.connect(redis.uri(0), "t:", ttl, Duration.ofSeconds(5),
                Clock.systemUTC());
        closeLater(r);
        return r;
    }

    private static NodeInfo node(String id, int peers, long calls, boolean draining) {
        return new NodeInfo(id, URI.create("http://127.0.0.1:80" + id.length()), calls, peers, draining, T0,
                T0.plusSeconds(1));
    }

    private static Set<String> ids(NodeRegistry r) throws IOException {
        return r.live().stream().map(NodeInfo::nodeId).collect(Collectors.toSet());
    }

    @Test
    void aHeartbeatListsTheNodeWithItsLoadOnEveryConnection() throws IOException {
        RedisNodeRegistry a = registry(Duration.ofSeconds(30));
        RedisNodeRegistry b = registry(Duration.ofSeconds(30));
        assertFalse(a.heartbeat(node("a", 4, 1, false)));
        assertFalse(b.heartbeat(node("bb", 0, 0, false)));
        List<NodeInfo> live = b.live();
        assertEquals(Set.of("a", "bb"), ids(a));
        NodeInfo seenA = live.stream().filter(n -> n.nodeId().equals("a")).findFirst().orElseThrow();
        assertEquals(node("a", 4, 1, false), seenA);

        a.heartbeat(node("a", 6, 2, false));
        assertEquals(6, b.live().stream().filter(n -> n.nodeId().equals("a")).findFirst().orElseThrow().peers());

        a.leave("a");
        assertEquals(Set.of("bb"), ids(b));
    }

    @Test
    void aNodeWithoutHeartbeatLeavesTheListWithinItsTtl() throws Exception {
        RedisNodeRegistry r = registry(Duration.ofSeconds(1));
        r.heartbeat(node("a", 0, 0, false));
        r.heartbeat(node("bb", 0, 0, false));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ids(r).contains("a")) {
            r.heartbeat(node("bb", 0, 0, false)); // b keeps beating; a does not
            assertTrue(System.nanoTime() < deadline, "node a is still listed 10 s after its last heartbeat");
            Thread.sleep(100);
        }
        assertEquals(Set.of("bb"), ids(r));
    }

    @Test
    void anAdminDrainSticksUntilTheNodeLeaves() throws IOException {
        RedisNodeRegistry r = registry(Duration.ofSeconds(30));
        assertFalse(r.drain("a"), "no such node yet");
        r.heartbeat(node("a", 0, 0, false));
        assertTrue(r.drain("a"));
        assertTrue(r.heartbeat(node("a", 0, 0, false)), "the node's own heartbeat keeps the drain");
        assertTrue(r.live().get(0).draining());
        r.leave("a"); // a restart under the same id
        assertFalse(r.heartbeat(node("a", 0, 0, false)));
        assertTrue(r.heartbeat(node("a", 0, 0, true)), "a node drains itself (SIGTERM)");
    }

    @Test
    void nodesRacingForASessionsHomeAgreeAndTheHomeMovesOnlyWhenItsNodeIsGone() throws Exception {
        RedisNodeRegistry a = registry(Duration.ofSeconds(30));
        RedisNodeRegistry b = registry(Duration.ofSeconds(30));
        for (String id : List.of("a", "bb", "ccc")) {
            a.heartbeat(node(id, 0, 0, false));
        }
        assertEquals(Optional.empty(), a.home("cs_1"));
        Set<String> answers = ConcurrentHashMap.newKeySet();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                RedisNodeRegistry r = t % 2 == 0 ? a : b;
                String candidate = List.of("a", "bb", "ccc").get(t % 3);
                done.add(pool.submit(() -> {
                    go.await();
                    answers.add(r.claimHome("cs_1", candidate));
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(20, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, answers.size(), "every racer got the same home: " + answers);
        String home = answers.iterator().next();
        assertEquals(Optional.of(home), b.home("cs_1"));
        String other = home.equals("a") ? "bb" : "a";
        assertEquals(home, b.claimHome("cs_1", other), "a live home stays");

        a.leave(home); // its node died
        assertEquals(other, b.claimHome("cs_1", other), "a gone home is replaced");
        assertEquals(Optional.of(other), a.home("cs_1"));
    }

    @Test
    void aResourceRemembersItsNode() throws IOException {
        RedisNodeRegistry r = registry(Duration.ofSeconds(30));
        assertEquals(Optional.empty(), r.resourceNode("res1"));
        r.placeResource("res1", "a");
        assertEquals(Optional.of("a"), registry(Duration.ofSeconds(30)).resourceNode("res1"));
    }

    @Test
    void aMessageSentToANodeReachesItsReceiverOnly() throws Exception {
        RedisNodeRegistry a = registry(Duration.ofSeconds(30));
        RedisNodeRegistry b = registry(Duration.ofSeconds(30));
        java.util.concurrent.BlockingQueue<String> got = new java.util.concurrent.LinkedBlockingQueue<>();
        a.listen("a", got::add);
        b.send("bb", "for b");
        b.send("a", "cs_1");
        assertEquals("cs_1", got.poll(10, TimeUnit.SECONDS));
        b.send("a", "cs_2");
        assertEquals("cs_2", got.poll(10, TimeUnit.SECONDS));
        assertEquals(null, got.poll(200, TimeUnit.MILLISECONDS), "nothing else: " + got);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> a.listen("a", got::add));
    }

    @Test
    void aClosedRegistryFailsWithIoException() throws IOException {
        RedisNodeRegistry r = registry(Duration.ofSeconds(30));
        r.close();
        org.junit.jupiter.api.Assertions.assertThrows(IOException.class, r::live);
    }
}
