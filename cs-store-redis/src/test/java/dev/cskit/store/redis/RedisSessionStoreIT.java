/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.store.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.api.session.CallQuality;
import dev.cskit.api.session.DirectionQuality;
import dev.cskit.api.session.EndReason;
import dev.cskit.api.session.OutboxRecord;
import dev.cskit.api.session.Rating;
import dev.cskit.api.session.Session;
import dev.cskit.api.session.SessionCounts;
import dev.cskit.api.session.SessionStatus;
import dev.cskit.api.session.SharedSessionStore.Outcome;
import dev.cskit.api.session.SharedSessionStore.Revision;
import dev.cskit.api.session.Stats;
import dev.cskit.core.session.SessionException;
import dev.cskit.core.session.SessionManager;
import dev.cskit.core.session.SessionOrder;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link RedisSessionStore} against a real {@code redis-server} ({@link RedisServer}, one per test): revisions and
 * the compare-and-set, the limit of open sessions, the indexes and counters, the per-node outbox written with its
 * change, writes resent after a lost answer, two nodes ({@link SessionManager}s on two connections) racing from 8
 * threads, and a Redis restart.
 */
@Timeout(120)
class RedisSessionStoreIT extends AgainstRedis {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private final List<RedisSessionStore> stores = new ArrayList<>();

    private RedisSessionStore store(String node) throws IOException {
        return store(node, RedisSessionStore.DEFAULT_TIMEOUT);
    }

    private RedisSessionStore store(String node, Duration timeout) throws IOException {
        RedisSessionStore s = RedisSessionStore.newBuilder(redis.uri(0)).nodeId(node).commandTimeout(timeout)
                .connect();
        stores.add(closeLater(s));
        return s;
    }

    private static Session waiting(String id, Instant createdAt) {
        return Session.newBuilder(id, "Help " + id, "cust_" + id, "John", createdAt).build();
    }

    private static Session assigned(Session s) {
        return s.toBuilder().agent("agent_001", "Agent Wang").build();
    }

    private static Session active(Session s, Instant at) {
        return assigned(s).toBuilder().status(SessionStatus.ACTIVE).acceptedAt(at).build();
    }

    private static Session ended(Session s, Instant at) {
        return s.toBuilder().status(SessionStatus.ENDED).onHold(false).ended(at, EndReason.AGENT_HANGUP).build();
    }

    private static OutboxRecord record(String id, Session s) {
        return OutboxRecord.pending(id, "msg_" + id, "call.changed", s.id(), "http://127.0.0.1:9/hook",
                "{\"status\":\"" + s.status().wireName() + "\"}", T0);
    }

    @Test
    void aReplaceIsACompareAndSetOnTheRevision() throws IOException {
        RedisSessionStore a = store("node_a");
        RedisSessionStore b = store("node_b");
        Session s = waiting("cs_1", T0);
        assertEquals(Outcome.STORED, a.create(s, List.of(), 10));
        Revision r1 = b.read("cs_1").orElseThrow();
        assertEquals(new Revision(s, 1), r1);

        assertEquals(Outcome.STORED, b.replace(r1, assigned(s), List.of()));
        assertEquals(new Revision(assigned(s), 2), a.read("cs_1").orElseThrow());

        // Node A still holds revision 1: its change is refused, with its outbox record, and changes nothing.
        SessionCounts counts = a.counts();
        assertEquals(Outcome.STALE, a.replace(r1, active(s, T0), List.of(record("dlv_lost", s))));
        assertEquals(new Revision(assigned(s), 2), b.read("cs_1").orElseThrow());
        assertEquals(counts, b.counts());
        assertEquals(List.of(), a.loadOutbox());
        assertEquals(1, a.newest(SessionStatus.WAITING, 0, 10).size());
        assertEquals(0, a.newest(SessionStatus.ACTIVE, 0, 10).size());

        assertTrue(a.read("cs_none").isEmpty());
        assertEquals(Outcome.STALE, a.replace(new Revision(waiting("cs_none", T0), 1), assigned(waiting("cs_none", T0)),
                List.of()));
        assertTrue(a.read("cs_none").isEmpty());
    }

    @Test
    void aWriteResentAfterALostAnswerIsMadeOnce() throws IOException {
        RedisSessionStore a = store("node_a");
        Session s = waiting("cs_1", T0);
        assertEquals(Outcome.STORED, a.create(s, List.of(record("dlv_1", s)), 10, "w1"));
        assertEquals(Outcome.STORED, a.create(s, List.of(record("dlv_1", s)), 10, "w1")); // resent: made already
        IOException dup = assertThrows(IOException.class, () -> a.create(s, List.of(), 10, "w2"));
        assertTrue(dup.getMessage().contains("exists already"), dup.getMessage());

        Revision r1 = a.read("cs_1").orElseThrow();
        Session next = active(s, T0.plusSeconds(5));
        assertEquals(Outcome.STORED, a.replace(r1, next, List.of(), "w3"));
        assertEquals(Outcome.STORED, a.replace(r1, next, List.of(), "w3")); // resent
        assertEquals(Outcome.STALE, a.replace(r1, next, List.of(), "w4")); // another write from revision 1

        assertEquals(new Revision(next, 2), a.read("cs_1").orElseThrow());
        assertEquals(new SessionCounts(1, 0, 1, 0, 0, 0, 0, 0), a.counts()); // counted once
        assertEquals(1, a.loadOutbox().size());
    }

    @Test
    void createRefusesOnceMaxOpenSessionsAreOpen() throws IOException {
        RedisSessionStore a = store("node_a");
        RedisSessionStore b = store("node_b");
        Session s1 = waiting("cs_1", T0);
        assertEquals(Outcome.STORED, a.create(s1, List.of(), 2));
        assertEquals(Outcome.STORED, b.create(waiting("cs_2", T0), List.of(), 2));
        assertEquals(Outcome.LIMIT, a.create(waiting("cs_3", T0), List.of(record("dlv_3", s1)), 2));
        assertTrue(a.read("cs_3").isEmpty());
        assertEquals(List.of(), a.loadOutbox());

        Revision r = b.read("cs_1").orElseThrow();
        assertEquals(Outcome.STORED, b.replace(r, ended(s1, T0), List.of()));
        assertEquals(Outcome.STORED, a.create(waiting("cs_3", T0), List.of(), 2));
    }

    @Test
    void pagesAreNewestFirstByStatusAndTheCountersAddEveryChangeUp() throws IOException {
        RedisSessionStore a = store("node_a");
        SessionCounts expected = SessionCounts.ZERO;
        List<Session> made = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            // Two sessions share each creation second; the id breaks the tie (descending), as one node lists.
            Session s = waiting("cs_" + i, T0.plusSeconds(i / 2));
            assertEquals(Outcome.STORED, a.create(s, List.of(), 100));
            expected = expected.plus(SessionCounts.change(null, s));
            made.add(s);
        }
        for (int i : new int[] {1, 4}) {
            Session s = made.get(i);
            Session act = active(s, T0.plusSeconds(10));
            assertEquals(Outcome.STORED, a.replace(a.read(s.id()).orElseThrow(), act, List.of()));
            expected = expected.plus(SessionCounts.change(s, act));
            made.set(i, act);
        }
        Session act = made.get(1);
        Session end = ended(act, T0.plusSeconds(70)).toBuilder().build();
        assertEquals(Outcome.STORED, a.replace(a.read(act.id()).orElseThrow(), end, List.of()));
        expected = expected.plus(SessionCounts.change(act, end));
        Session rated = end.toBuilder().rating(new Rating(4, "fine", T0.plusSeconds(80))).build();
        assertEquals(Outcome.STORED, a.replace(a.read(end.id()).orElseThrow(), rated, List.of()));
        expected = expected.plus(SessionCounts.change(end, rated));

        assertEquals(List.of("cs_5", "cs_4", "cs_3", "cs_2", "cs_1", "cs_0"), ids(a.newest(null, 0, 10)));
        assertEquals(List.of("cs_4", "cs_3"), ids(a.newest(null, 1, 2)));
        assertEquals(List.of("cs_5", "cs_3", "cs_2", "cs_0"), ids(a.newest(SessionStatus.WAITING, 0, 10)));
        assertEquals(List.of("cs_4"), ids(a.newest(SessionStatus.ACTIVE, 0, 10)));
        assertEquals(List.of(rated), a.newest(SessionStatus.ENDED, 0, 10));
        assertEquals(List.of(), a.newest(null, 6, 10));
        assertEquals(6, a.load().size());

        assertEquals(expected, a.counts());
        assertEquals(new Stats(6, 1, 4, 1, 1, 4.0, 60.0), a.counts().stats());
    }

    private static List<String> ids(List<Session> sessions) {
        return sessions.stream().map(Session::id).toList();
    }

    @Test
    void eachNodeKeepsItsOwnOutboxWrittenWithItsChanges() throws IOException {
        RedisSessionStore a = store("node_a");
        RedisSessionStore b = store("node_b");
        Session s = waiting("cs_1", T0);
        a.put(s, List.of(record("dlv_1", s), record("dlv_2", s)));
        Session next = assigned(s);
        a.put(next, List.of(record("dlv_3", next)));
        b.put(ended(next, T0), List.of(record("dlv_b", next)));

        assertEquals(List.of("dlv_1", "dlv_2", "dlv_3"), a.loadOutbox().stream().map(OutboxRecord::id).toList());
        assertEquals(record("dlv_1", s), a.loadOutbox().get(0));
        assertEquals(List.of("dlv_b"), b.loadOutbox().stream().map(OutboxRecord::id).toList());

        OutboxRecord failed = record("dlv_1", s).failed(T0.plusSeconds(1), "HTTP 500");
        a.putOutbox(List.of(failed, record("dlv_2", s).withStatus(OutboxRecord.Status.DELIVERED),
                record("dlv_3", next).withStatus(OutboxRecord.Status.DEAD)));
        List<OutboxRecord> kept = a.loadOutbox();
        assertEquals(List.of("dlv_1", "dlv_3"), kept.stream().map(OutboxRecord::id).toList()); // first-stored order
        assertEquals(failed, kept.get(0));
        assertEquals(OutboxRecord.Status.DEAD, kept.get(1).status());

        // The same node after a restart (a new connection) finds its outbox.
        a.close();
        RedisSessionStore again = store("node_a");
        assertEquals(kept, again.loadOutbox());
        assertTrue(again.keepsOutbox());
    }

    @Test
    void twoNodesAcceptingTheSameCallsFromEightThreadsGiveOneWinnerEach() throws Exception {
        SessionManager nodeA = new SessionManager(store("node_a"), Clock.systemUTC(), 100, Duration.ofHours(1));
        SessionManager nodeB = new SessionManager(store("node_b"), Clock.systemUTC(), 100, Duration.ofHours(1));
        nodeA.restore();
        nodeB.restore();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Session s = (i % 2 == 0 ? nodeA : nodeB).create("Help " + i, "John", null);
            nodeB.assign(s.id(), "agent_001", "Agent Wang");
            ids.add(s.id());
        }
        Map<String, AtomicInteger> winners = new ConcurrentHashMap<>();
        AtomicInteger conflicts = new AtomicInteger();
        List<Throwable> other = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                SessionManager node = t % 2 == 0 ? nodeA : nodeB;
                done.add(pool.submit(() -> {
                    go.await();
                    for (String id : ids) {
                        try {
                            node.accept(id, "agent_001");
                            winners.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                        } catch (SessionException e) {
                            if (e.kind() == SessionException.Kind.CONFLICT) {
                                conflicts.incrementAndGet();
                            } else {
                                other.add(e);
                            }
                        }
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
        assertEquals(List.of(), other);
        for (String id : ids) {
            assertEquals(1, winners.get(id).get(), "winners of " + id);
            assertEquals(SessionStatus.ACTIVE, nodeA.require(id).status());
        }
        assertEquals(ids.size() * 7, conflicts.get());
        Stats stats = nodeB.stats();
        assertEquals(10, stats.activeSessions());
        assertEquals(0, stats.waitingSessions());
        assertEquals(stats, nodeA.stats());
    }

    @Test
    void maxSessionsHoldsForTwoNodesCreatingFromEightThreads() throws Exception {
        int max = 12;
        SessionManager nodeA = new SessionManager(store("node_a"), Clock.systemUTC(), max, Duration.ofHours(1));
        SessionManager nodeB = new SessionManager(store("node_b"), Clock.systemUTC(), max, Duration.ofHours(1));
        AtomicInteger made = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                SessionManager node = t % 2 == 0 ? nodeA : nodeB;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < 6; i++) {
                        try {
                            node.create("Help", "John", null);
                            made.incrementAndGet();
                        } catch (SessionException e) {
                            assertEquals(SessionException.Kind.LIMIT, e.kind(), e.getMessage());
                            refused.incrementAndGet();
                        }
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
        assertEquals(max, made.get());
        assertEquals(8 * 6 - max, refused.get());
        assertEquals(max, nodeA.stats().waitingSessions());
        assertEquals(max, nodeB.stats().totalSessions());
        assertEquals(max, nodeA.all().size());
    }

    @Test
    void aRedisRestartKeepsTheSessionsAndTheStoreReconnects() throws Exception {
        RedisSessionStore a = store("node_a", Duration.ofSeconds(1));
        Session s = waiting("cs_1", T0);
        a.put(s, List.of(record("dlv_1", s)));
        assertTrue(a.readiness().ready());

        int port = redis.port();
        redis.stop();
        await("the store sees Redis gone", () -> !a.readiness().ready());
        assertTrue(a.readiness().reason().contains("not connected"), a.readiness().reason());
        assertThrows(IOException.class, () -> a.read("cs_1"));

        redis = RedisServer.start(dir.resolve("redis"), port);
        await("the store reconnects", () -> a.readiness().ready());
        assertEquals(new Revision(s, 1), a.read("cs_1").orElseThrow());
        assertEquals(List.of(record("dlv_1", s)), a.loadOutbox());
        assertEquals(new SessionCounts(1, 1, 0, 0, 0, 0, 0, 0), a.counts());
        // The restarted Redis has no script cached: the store sends it again.
        assertEquals(Outcome.STORED, a.replace(a.read("cs_1").orElseThrow(), assigned(s), List.of()));
        assertEquals(2, a.read("cs_1").orElseThrow().revision());
    }

    @Test
    void theQualityOfAnEndedCallIsKeptAndTheOtherNodeSortsByIt() throws IOException {
        SessionManager nodeA = new SessionManager(store("node_a"), Clock.systemUTC(), 100, Duration.ofHours(1));
        SessionManager nodeB = new SessionManager(store("node_b"), Clock.systemUTC(), 100, Duration.ofHours(1));
        nodeA.restore();
        nodeB.restore();
        double[] mos = {4.3};
        nodeA.useQuality(x -> new CallQuality(new DirectionQuality(mos[0] < 3 ? 12.5 : 0, 3.25, 41.0, mos[0], 500),
                null));
        String good = nodeA.create("Good", "John", null).id();
        nodeA.end(good, EndReason.CLOSED);
        mos[0] = 2.1;
        String bad = nodeA.create("Bad", "Jane", null).id();
        nodeA.end(bad, EndReason.CLOSED);
        String none = nodeB.create("Open", "Jim", null).id();

        CallQuality kept = nodeB.require(bad).quality();
        assertEquals(new CallQuality(new DirectionQuality(12.5, 3.25, 41.0, 2.1, 500), null), kept);
        assertEquals(List.of(bad, good, none), nodeB.list(null, null, 1, 10, SessionOrder.parse("quality", null))
                .items().stream().map(Session::id).toList());
    }

    @Test
    void connectingToNoRedisFailsWithWhereItLooked() throws IOException {
        int port = redis.port();
        redis.stop();
        IOException e = assertThrows(IOException.class, () -> RedisSessionStore.newBuilder(
                URI.create("redis://127.0.0.1:" + port + "/0")).nodeId("node_a").connect());
        assertTrue(e.getMessage().contains("cannot connect to Redis at 127.0.0.1:" + port + "/0"), e.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> RedisSessionStore.newBuilder(URI.create("http://user:secret@127.0.0.1:1")));
        assertFalse(bad.getMessage().contains("secret"), bad.getMessage());
        assertThrows(IllegalStateException.class, () -> RedisSessionStore.newBuilder(redis.uri(0)).connect());
        assertThrows(IllegalArgumentException.class, () -> RedisSessionStore.newBuilder(redis.uri(0)).nodeId("a b"));
    }

    @Test
    void aClosedStoreRefusesWrites() throws IOException {
        RedisSessionStore a = store("node_a");
        a.close();
        assertFalse(a.readiness().ready());
        assertThrows(IOException.class, () -> a.create(waiting("cs_1", T0), List.of(), 1));
    }
}
