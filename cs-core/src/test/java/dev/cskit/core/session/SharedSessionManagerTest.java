/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.session.EndReason;
import dev.cskit.api.session.OutboxRecord;
import dev.cskit.api.session.Session;
import dev.cskit.api.session.SessionCounts;
import dev.cskit.api.session.SessionStatus;
import dev.cskit.api.session.SharedSessionStore;
import dev.cskit.api.session.Stats;
import dev.cskit.core.MutableClock;
import dev.cskit.core.session.SessionException.Kind;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The session manager on a {@link SharedSessionStore}: two managers (two nodes) on one store read each other's
 * changes, race through the store's compare-and-set (one winner, the loser re-reads and gets the rule's answer),
 * and share {@code max_sessions} and the counters. The store here is an in-memory one with a hook that lets a test
 * slip another node's change in between a read and the write that follows it.
 */
class SharedSessionManagerTest {

    private MutableClock clock;
    private FakeSharedStore store;
    private SessionManager nodeA;
    private SessionManager nodeB;
    private final List<Session[]> heardOnA = new ArrayList<>();
    private final List<Session[]> heardOnB = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        clock = new MutableClock();
        store = new FakeSharedStore();
        nodeA = new SessionManager(store, clock, 3, Duration.ofSeconds(3600));
        nodeB = new SessionManager(store, clock, 3, Duration.ofSeconds(3600));
        assertEquals(0, nodeA.restore());
        assertEquals(0, nodeB.restore());
        nodeA.addListener((b, a) -> heardOnA.add(new Session[] {b, a}));
        nodeB.addListener((b, a) -> heardOnB.add(new Session[] {b, a}));
    }

    private static void assertRefused(Kind kind, Runnable op) {
        SessionException e = assertThrows(SessionException.class, op::run);
        assertEquals(kind, e.kind(), e.getMessage());
    }

    @Test
    void aSessionCreatedOnOneNodeIsReadChangedAndListedOnTheOther() {
        Session s = nodeA.create("Help", "John", null);
        assertEquals(Optional.of(s), nodeB.get(s.id()));

        Session assigned = nodeB.assign(s.id(), "agent_001", "Agent Wang");
        assertEquals("agent_001", nodeA.require(s.id()).agentId());
        assertEquals(assigned, nodeA.require(s.id()));

        assertEquals(List.of(assigned), nodeB.list(null, null, 1, 20).items());
        assertEquals(List.of(assigned), nodeB.list(SessionStatus.WAITING, null, 1, 20).items());
        assertEquals(List.of(assigned), nodeA.list(null, "JOHN", 1, 20).items());
        assertEquals(List.of(), nodeA.list(SessionStatus.ACTIVE, null, 1, 20).items());
        assertEquals(List.of(assigned), nodeA.open());
        assertEquals(List.of(assigned), nodeB.all());
        assertEquals(nodeA.stats(), nodeB.stats());
        assertEquals(1, nodeA.stats().waitingSessions());

        // Each node's listeners heard the change it made, and only that.
        assertEquals(1, heardOnA.size());
        assertNull(heardOnA.get(0)[0]);
        assertEquals(1, heardOnB.size());
        assertEquals(s, heardOnB.get(0)[0]);
        assertEquals(assigned, heardOnB.get(0)[1]);
    }

    @Test
    void ofTwoNodesAcceptingOneCallOneWinsAndTheOtherGetsAConflict() {
        Session s = nodeA.create("Help", "John", null);
        nodeA.assign(s.id(), "agent_001", "Agent Wang");
        // Node B accepts between node A's read and its write: A's write is stale, A reads again, finds the call Active.
        store.raceOnce(id -> nodeB.accept(id, "agent_001"));
        SessionException lost = assertThrows(SessionException.class, () -> nodeA.accept(s.id(), "agent_001"));
        assertEquals(Kind.CONFLICT, lost.kind());
        assertTrue(lost.getMessage().contains("only Waiting sessions can be accepted"), lost.getMessage());

        assertEquals(SessionStatus.ACTIVE, store.revisions.get(s.id()).session().status());
        assertEquals(3, store.revisions.get(s.id()).revision()); // created, assigned, accepted once
        assertEquals(1, store.counts.active());
        assertEquals(0, store.counts.waiting());
        assertEquals(2, heardOnA.size()); // create and assign; not the accept it lost
        assertEquals(SessionStatus.ACTIVE, heardOnB.get(0)[1].status());
    }

    @Test
    void aChangeThatLostARaceIsMadeAgainOnTheNewVersion() {
        Session s = nodeA.create("Help", "John", null);
        nodeA.assign(s.id(), "agent_001", "Agent Wang");
        nodeA.accept(s.id(), "agent_001");
        // Node B transfers the call while node A (an admin) puts it on hold: both changes are kept.
        store.raceOnce(id -> nodeB.transfer(id, null, "agent_002", "Agent Li"));
        Session held = nodeA.hold(s.id(), null);

        assertTrue(held.onHold());
        assertEquals("agent_002", held.agentId());
        assertEquals(held, nodeB.require(s.id()));
        Session[] last = heardOnA.get(heardOnA.size() - 1);
        assertEquals("agent_002", last[0].agentId()); // the version it was made on: the transferred one
        assertFalse(last[0].onHold());
    }

    @Test
    void aSessionThatKeepsChangingElsewhereGivesUpWithAConflict() {
        Session s = nodeA.create("Help", "John", null);
        AtomicInteger raced = new AtomicInteger();
        store.raceEveryTime(id -> {
            raced.incrementAndGet();
            store.bump(id); // another node's write, every time
        });
        assertRefused(Kind.CONFLICT, () -> nodeA.assign(s.id(), "agent_001", "Agent Wang"));
        assertEquals(SharedSessions.ATTEMPTS, raced.get());
        assertNull(nodeB.require(s.id()).agentId());
    }

    @Test
    void maxSessionsCountsTheSessionsOfEveryNode() {
        Session a1 = nodeA.create("1", "John", null);
        nodeB.create("2", "John", null);
        nodeA.create("3", "John", null);
        SessionException e = assertThrows(SessionException.class, () -> nodeB.create("4", "John", null));
        assertEquals(Kind.LIMIT, e.kind());
        assertTrue(e.getMessage().contains("max_sessions (3)"), e.getMessage());
        assertRefused(Kind.LIMIT, () -> nodeA.create("4", "John", null));
        assertEquals(3, store.revisions.size());

        nodeB.close(a1.id()); // a place frees up on another node
        nodeA.create("4", "John", null);
        Stats stats = nodeB.stats();
        assertEquals(4, stats.totalSessions());
        assertEquals(3, stats.waitingSessions());
        assertEquals(1, stats.endedSessions());
    }

    @Test
    void pagesComeNewestFirstWithTheTotalOfTheirStatus() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(nodeA.create("t" + i, "c" + i, null).id());
            clock.advance(Duration.ofSeconds(1));
        }
        nodeB.close(ids.get(1));
        SessionPage page = nodeB.list(null, null, 1, 2);
        assertEquals(3, page.total());
        assertEquals(List.of(ids.get(2), ids.get(1)), page.items().stream().map(Session::id).toList());
        page = nodeB.list(null, null, 2, 2);
        assertEquals(List.of(ids.get(0)), page.items().stream().map(Session::id).toList());
        page = nodeA.list(SessionStatus.WAITING, null, 1, 20);
        assertEquals(2, page.total());
        assertEquals(List.of(ids.get(2), ids.get(0)), page.items().stream().map(Session::id).toList());
        page = nodeA.list(null, "c1", 1, 20);
        assertEquals(1, page.total());
        assertEquals(ids.get(1), page.items().get(0).id());
        assertRefused(Kind.INVALID, () -> nodeA.list(null, null, 0, 20));
        assertRefused(Kind.INVALID, () -> nodeA.list(null, "x", 1, SessionManager.MAX_PAGE_SIZE + 1));
    }

    @Test
    void aNodeHostsAndEndsOnShutdownOnlyTheCallsItChanged() {
        Session onA = nodeA.create("a", "John", null);
        nodeA.assign(onA.id(), "agent_001", "Agent Wang");
        nodeA.accept(onA.id(), "agent_001");
        Session onB = nodeB.create("b", "Jane", null);
        nodeB.assign(onB.id(), "agent_002", "Agent Li");
        nodeB.accept(onB.id(), "agent_002");

        assertEquals(List.of(onA.id()), nodeA.hosted().stream().map(Session::id).toList());
        assertEquals(2, nodeA.open().size());
        assertEquals(1, nodeA.hostedCalls()); // what a drain of node A waits for: not node B's call
        assertEquals(2, nodeA.stats().activeSessions());

        assertEquals(1, nodeA.endActive(EndReason.SHUTDOWN));
        assertTrue(nodeB.require(onA.id()).isEnded());
        assertEquals(SessionStatus.ACTIVE, nodeA.require(onB.id()).status());
        assertEquals(List.of(), nodeA.hosted());
        assertEquals(0, nodeA.hostedCalls());

        nodeA.end(onB.id(), EndReason.CLOSED); // now node A changed it: it was one of its own until it ended
        assertEquals(List.of(), nodeB.hosted()); // ended elsewhere: node B forgets it
    }

    @Test
    void everyNodeSweepsTimeoutsAndTheStoreKeepsOneEnd() {
        Session s = nodeA.create("a", "John", null);
        clock.advance(Duration.ofSeconds(3600));
        assertEquals(1, nodeB.sweepTimeouts());
        assertEquals(0, nodeA.sweepTimeouts());
        assertEquals(EndReason.TIMEOUT, nodeA.require(s.id()).endReason());
        assertEquals(1, store.counts.ended());
    }

    @Test
    void anUnreachableStoreIsUnavailableAndNothingChanges() {
        Session s = nodeA.create("a", "John", null);
        store.down = true;
        assertRefused(Kind.UNAVAILABLE, () -> nodeA.assign(s.id(), "agent_001", "Agent Wang"));
        assertRefused(Kind.UNAVAILABLE, () -> nodeA.create("b", "John", null));
        assertRefused(Kind.UNAVAILABLE, () -> nodeA.get(s.id()));
        assertRefused(Kind.UNAVAILABLE, nodeA::stats);
        assertThrows(IOException.class, () -> new SessionManager(store, clock, 3, Duration.ofHours(1)).restore());
        store.down = false;
        assertNull(nodeB.require(s.id()).agentId());
        assertEquals(1, heardOnA.size());
        assertRefused(Kind.NOT_FOUND, () -> nodeA.assign("cs_nothing", "agent_001", "Agent Wang"));
    }

    @Test
    void outboxRecordsAreWrittenWithTheChangeThatWonAndTheNodeHearsOfThemOnce() {
        List<List<OutboxRecord>> stored = new ArrayList<>();
        AtomicInteger made = new AtomicInteger();
        nodeA.useOutbox(new SessionOutbox() {
            @Override
            public List<OutboxRecord> recordsFor(@Nullable Session before, Session after) {
                String n = "dlv_" + made.incrementAndGet();
                return List.of(OutboxRecord.pending(n, "msg_" + n, "session.changed", after.id(),
                        "http://127.0.0.1:1/hook",
                        after.status().wireName() + (before == null ? "" : "/" + before.agentId()),
                        clock.instant()));
            }

            @Override
            public void stored(List<OutboxRecord> records) {
                stored.add(records);
            }
        });
        Session s = nodeA.create("a", "John", null);
        store.raceOnce(id -> nodeB.assign(id, "agent_009", "Other"));
        nodeA.assign(s.id(), "agent_001", "Agent Wang");

        // Three records were made (create, the losing try, the winning try); two were stored and heard of.
        assertEquals(3, made.get());
        assertEquals(List.of("dlv_1", "dlv_3"), store.outbox.keySet().stream().toList());
        assertEquals("Waiting/agent_009", store.outbox.get("dlv_3").body()); // made on the version that won
        assertEquals(2, stored.size());
        assertEquals("dlv_3", stored.get(1).get(0).id());
    }

    /**
     * A {@link SharedSessionStore} in memory: revisions, counts and an outbox under one monitor, and a hook run before
     * each replace (outside the monitor) so a test can interleave another node's change.
     */
    static final class FakeSharedStore implements SharedSessionStore {
        final Map<String, Revision> revisions = new LinkedHashMap<>();
        final Map<String, OutboxRecord> outbox = new LinkedHashMap<>();
        SessionCounts counts = SessionCounts.ZERO;
        volatile boolean down;
        private @Nullable Consumer<String> beforeReplace; // guarded by this
        private boolean raceEveryTime; // guarded by this
        private boolean inHook; // guarded by this

        @Override
        public synchronized Optional<Revision> read(String id) throws IOException {
            check();
            return Optional.ofNullable(revisions.get(id));
        }

        @Override
        public synchronized Outcome create(Session session, List<OutboxRecord> records, int maxOpen)
                throws IOException {
            check();
            if (revisions.containsKey(session.id())) {
                throw new IOException("exists");
            }
            if (counts.waiting() + counts.active() >= maxOpen) {
                return Outcome.LIMIT;
            }
            revisions.put(session.id(), new Revision(session, 1));
            counts = counts.plus(SessionCounts.change(null, session));
            keep(records);
            return Outcome.STORED;
        }

        @Override
        public Outcome replace(Revision before, Session after, List<OutboxRecord> records) throws IOException {
            Consumer<String> hook = null;
            synchronized (this) {
                if (!inHook && beforeReplace != null) {
                    hook = beforeReplace;
                    if (!raceEveryTime) {
                        beforeReplace = null;
                    }
                    inHook = true;
                }
            }
            if (hook != null) {
                try {
                    hook.accept(after.id()); // another node's change, between this change's read and its write
                } finally {
                    synchronized (this) {
                        inHook = false;
                    }
                }
            }
            synchronized (this) {
                check();
                Revision current = revisions.get(after.id());
                if (current == null || current.revision() != before.revision()) {
                    return Outcome.STALE;
                }
                revisions.put(after.id(), new Revision(after, current.revision() + 1));
                counts = counts.plus(SessionCounts.change(current.session(), after));
                keep(records);
                return Outcome.STORED;
            }
        }

        /** Runs {@code hook} before the next replace only. */
        synchronized void raceOnce(Consumer<String> hook) {
            raceEveryTime = false;
            beforeReplace = hook;
        }

        /** Runs {@code hook} before every replace. */
        synchronized void raceEveryTime(Consumer<String> hook) {
            raceEveryTime = true;
            beforeReplace = hook;
        }

        /** Another node's write that changes nothing but the revision. */
        synchronized void bump(String id) {
            Revision r = revisions.get(id);
            revisions.put(id, new Revision(r.session(), r.revision() + 1));
        }

        @Override
        public synchronized List<Session> newest(@Nullable SessionStatus status, long skip, int count)
                throws IOException {
            check();
            return revisions.values().stream().map(Revision::session)
                    .filter(s -> status == null || s.status() == status)
                    .sorted(SessionListing.NEWEST_FIRST).skip(skip).limit(count).toList();
        }

        @Override
        public synchronized SessionCounts counts() throws IOException {
            check();
            return counts;
        }

        private void keep(List<OutboxRecord> records) {
            for (OutboxRecord r : records) {
                outbox.put(r.id(), r);
            }
        }

        private void check() throws IOException {
            if (down) {
                throw new IOException("store down");
            }
        }

        @Override
        public Collection<Session> load() {
            throw new AssertionError("a manager on a shared store does not load it");
        }

        @Override
        public void put(Session session) {
            throw new AssertionError("a manager on a shared store does not put unconditionally");
        }

        @Override
        public boolean keepsOutbox() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void statsAreTheStoresCountersOfEveryNodesChanges() {
        Session s = nodeA.create("a", "John", null);
        nodeB.assign(s.id(), "agent_001", "A");
        nodeA.accept(s.id(), "agent_001");
        clock.advance(Duration.ofSeconds(42));
        nodeB.end(s.id(), "agent_001");
        nodeA.rate(s.id(), 4, "ok");
        Stats st = nodeB.stats();
        assertEquals(new Stats(1, 0, 0, 1, 1, 4.0, 42.0), st);
        assertEquals(st, nodeA.stats());
    }
}
