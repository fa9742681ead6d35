/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.api.session.EndReason;
import dev.cskit.api.session.Session;
import dev.cskit.api.session.SessionStatus;
import dev.cskit.api.session.SessionStore;
import dev.cskit.api.session.Stats;
import dev.cskit.core.MutableClock;
import dev.cskit.core.session.SessionException.Kind;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SessionManagerTest {

    private MutableClock clock;
    private InMemorySessionStore store;
    private SessionManager m;
    private final List<Session[]> changes = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        clock = new MutableClock();
        store = new InMemorySessionStore();
        m = new SessionManager(store, clock, 5, Duration.ofSeconds(3600));
        m.restore();
        m.addListener((b, a) -> changes.add(new Session[] {b, a}));
    }

    private static void assertRefused(Kind kind, String message, Runnable op) {
        SessionException e = assertThrows(SessionException.class, op::run);
        assertEquals(kind, e.kind(), e.getMessage());
        assertEquals(message, e.getMessage());
    }

    private static void assertRefusedContaining(Kind kind, String part, Runnable op) {
        SessionException e = assertThrows(SessionException.class, op::run);
        assertEquals(kind, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    /** Runs a refused operation and checks nothing changed: same session, no listener call. */
    private void assertUnchanged(String id, Runnable refused) {
        Session before = m.require(id);
        Stats stats = m.stats();
        int n = changes.size();
        assertThrows(SessionException.class, refused::run);
        assertEquals(before, m.require(id));
        assertEquals(stats, m.stats());
        assertEquals(n, changes.size());
    }

    private Session active() {
        Session s = m.create("Help", "John", null);
        m.assign(s.id(), "agent_001", "Agent Wang");
        return m.accept(s.id(), "agent_001");
    }

    @Test
    void createsWaitingSessionWithRandomIdsAndTrimmedFields() {
        Session s = m.create("  After-sales inquiry ", " John ", " about my order ");
        assertTrue(s.id().matches("cs_[a-z2-7]{24}"), s.id());
        assertTrue(s.customerId().matches("cust_[a-z2-7]{16}"), s.customerId());
        assertEquals("After-sales inquiry", s.title());
        assertEquals("John", s.customerName());
        assertEquals("about my order", s.description());
        assertEquals(SessionStatus.WAITING, s.status());
        assertEquals(Instant.parse("2024-01-15T10:30:00Z"), s.createdAt());
        assertEquals(s, m.get(s.id()).orElseThrow());
        assertNull(changes.get(0)[0]);
        assertEquals(s, changes.get(0)[1]);
        assertFalse(m.create("b", "c", null).id().equals(s.id()));
    }

    @Test
    void refusesBadCreateInput() {
        assertRefused(Kind.INVALID, "title is required and must not be blank", () -> m.create("  ", "John", null));
        assertRefused(Kind.INVALID, "customer_name is required and must not be blank", () -> m.create("t", null, null));
        assertRefused(Kind.INVALID, "title must be at most 200 characters, was 201",
                () -> m.create("x".repeat(201), "John", null));
        assertEquals(0, m.stats().totalSessions());
        assertTrue(changes.isEmpty());
    }

    @Test
    void refusesCreateBeyondMaxSessionsUntilOneEnds() {
        List<Session> made = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            made.add(m.create("t" + i, "c", null));
        }
        assertRefusedContaining(Kind.LIMIT, "max_sessions (5)", () -> m.create("t", "c", null));
        m.close(made.get(0).id());
        assertNotNull(m.create("t", "c", null));
        assertEquals(6, m.stats().totalSessions());
    }

    @Test
    void closeEndsWaitingAndActiveButNotEnded() {
        Session w = m.create("t", "c", null);
        Session closed = m.close(w.id());
        assertEquals(SessionStatus.ENDED, closed.status());
        assertEquals(EndReason.CLOSED, closed.endReason());
        assertEquals(clock.instant(), closed.endedAt());
        assertRefused(Kind.CONFLICT, "session " + w.id() + " is Ended; only Waiting or Active sessions can be closed",
                () -> m.close(w.id()));
        Session a = active();
        assertEquals(EndReason.CLOSED, m.close(a.id()).endReason());
        assertRefusedContaining(Kind.NOT_FOUND, "no session cs_nope", () -> m.close("cs_nope"));
    }

    @Test
    void assignOnlyWhileWaiting() {
        Session s = m.create("t", "c", null);
        Session a = m.assign(s.id(), " agent_001 ", "Agent Wang");
        assertEquals("agent_001", a.agentId());
        assertEquals("Agent Wang", a.agentName());
        assertEquals("agent_002", m.assign(s.id(), "agent_002", "Agent Li").agentId()); // re-assign while waiting
        m.accept(s.id(), "agent_002");
        assertRefused(Kind.CONFLICT, "session " + s.id() + " is Active; use transfer to hand an active call to another agent",
                () -> m.assign(s.id(), "agent_003", "X"));
        m.close(s.id());
        assertRefused(Kind.CONFLICT, "session " + s.id() + " is Ended; only Waiting sessions can be assigned",
                () -> m.assign(s.id(), "agent_003", "X"));
        assertRefused(Kind.INVALID, "agent_name is required and must not be blank", () -> m.assign(s.id(), "a", ""));
    }

    @Test
    void acceptOnlyByAssignedAgentWhileWaiting() {
        Session s = m.create("t", "c", null);
        assertRefused(Kind.CONFLICT, "session " + s.id() + " has no agent assigned; assign an agent before accepting",
                () -> m.accept(s.id(), "agent_001"));
        m.assign(s.id(), "agent_001", "Agent Wang");
        assertUnchanged(s.id(), () -> m.accept(s.id(), "agent_002"));
        assertRefused(Kind.FORBIDDEN, "user agent_002 is not the agent assigned to session " + s.id()
                + "; only agent_001 can accept it", () -> m.accept(s.id(), "agent_002"));
        clock.advance(Duration.ofSeconds(7));
        Session a = m.accept(s.id(), "agent_001");
        assertEquals(SessionStatus.ACTIVE, a.status());
        assertEquals(clock.instant(), a.acceptedAt());
        assertRefused(Kind.CONFLICT, "session " + s.id() + " is Active; only Waiting sessions can be accepted",
                () -> m.accept(s.id(), "agent_001"));
    }

    @Test
    void endByPartySetsHangupReasonAndDuration() {
        Session a = active();
        clock.advance(Duration.ofSeconds(42));
        assertRefused(Kind.FORBIDDEN, "user someone is not a party of session " + a.id()
                + "; only its customer or assigned agent can end it", () -> m.end(a.id(), "someone"));
        Session e = m.end(a.id(), a.customerId());
        assertEquals(EndReason.CUSTOMER_HANGUP, e.endReason());
        assertEquals(42, e.durationSeconds(clock.instant().plusSeconds(100)));
        assertRefused(Kind.CONFLICT, "session " + a.id() + " is Ended; only Waiting or Active sessions can be ended",
                () -> m.end(a.id(), a.customerId()));
        Session b = active();
        assertEquals(EndReason.AGENT_HANGUP, m.end(b.id(), "agent_001").endReason());
        Session w = m.create("t", "c", null);
        assertEquals(EndReason.CUSTOMER_HANGUP, m.end(w.id(), w.customerId()).endReason()); // hang up while waiting
        Session p = active();
        assertEquals(EndReason.PEER_GONE, m.end(p.id(), EndReason.PEER_GONE).endReason());
    }

    @Test
    void transferOnlyActiveByAssignedAgentAndClearsHold() {
        Session w = m.create("t", "c", null);
        m.assign(w.id(), "agent_001", "Agent Wang");
        assertRefused(Kind.CONFLICT, "session " + w.id() + " is Waiting; only Active calls can be transferred "
                + "(use assign for a Waiting session)", () -> m.transfer(w.id(), "agent_001", "agent_002", "Li"));
        Session a = m.accept(w.id(), "agent_001");
        m.hold(a.id(), "agent_001");
        assertRefused(Kind.FORBIDDEN, "user " + a.customerId() + " is not the agent assigned to session " + a.id()
                + "; only agent_001 can transfer this call",
                () -> m.transfer(a.id(), a.customerId(), "agent_002", "Li"));
        assertRefused(Kind.INVALID, "session " + a.id() + " is already with agent agent_001; transfer it to another agent",
                () -> m.transfer(a.id(), "agent_001", "agent_001", "Wang"));
        Session t = m.transfer(a.id(), "agent_001", "agent_002", "Agent Li");
        assertEquals(SessionStatus.ACTIVE, t.status());
        assertEquals("agent_002", t.agentId());
        assertEquals("Agent Li", t.agentName());
        assertFalse(t.onHold());
        assertEquals(a.acceptedAt(), t.acceptedAt());
        assertEquals("agent_003", m.transfer(a.id(), null, "agent_003", "Admin's pick").agentId()); // admin
        m.close(a.id());
        assertRefusedContaining(Kind.CONFLICT, "is Ended; only Active calls can be transferred",
                () -> m.transfer(a.id(), null, "agent_004", "X"));
    }

    @Test
    void holdAndResumeToggleOnlyWhileActive() {
        Session w = m.create("t", "c", null);
        assertRefused(Kind.CONFLICT, "session " + w.id() + " is Waiting; only Active calls can be put on hold",
                () -> m.hold(w.id(), null));
        Session a = active();
        assertRefused(Kind.CONFLICT, "session " + a.id() + " is not on hold; only a held call can be resumed",
                () -> m.resume(a.id(), "agent_001"));
        assertTrue(m.hold(a.id(), "agent_001").onHold());
        assertRefused(Kind.CONFLICT, "session " + a.id() + " is already on hold; resume it before holding again",
                () -> m.hold(a.id(), "agent_001"));
        assertRefusedContaining(Kind.FORBIDDEN, "only agent_001 can resume this call",
                () -> m.resume(a.id(), a.customerId()));
        assertFalse(m.resume(a.id(), "agent_001").onHold());
        m.hold(a.id(), "agent_001");
        assertFalse(m.end(a.id(), "agent_001").onHold()); // an ended call is not on hold
    }

    @Test
    void rateOnlyEndedOnceWithValidStars() {
        Session a = active();
        assertRefused(Kind.CONFLICT, "session " + a.id() + " is Active; a call can be rated only after it has Ended",
                () -> m.rate(a.id(), 5, null));
        m.end(a.id(), a.customerId());
        assertRefused(Kind.INVALID, "stars must be an integer from 1 to 5, was 6", () -> m.rate(a.id(), 6, null));
        assertRefused(Kind.INVALID, "stars must be an integer from 1 to 5, was 0", () -> m.rate(a.id(), 0, null));
        assertRefused(Kind.INVALID, "comment must be at most 500 characters, was 501",
                () -> m.rate(a.id(), 4, "x".repeat(501)));
        Session r = m.rate(a.id(), 4, " good ");
        assertEquals(4, r.rating().stars());
        assertEquals("good", r.rating().comment());
        assertRefused(Kind.CONFLICT, "session " + a.id() + " is rated already; a session can be rated once",
                () -> m.rate(a.id(), 5, null));
    }

    @Test
    void statsCountStatesRatingsAndDurations() {
        Session a = active();
        clock.advance(Duration.ofSeconds(10));
        m.end(a.id(), a.customerId());
        Session b = active();
        clock.advance(Duration.ofSeconds(30));
        m.end(b.id(), "agent_001");
        m.rate(a.id(), 5, null);
        m.rate(b.id(), 2, null);
        m.close(m.create("w", "c", null).id()); // never accepted: not in the duration average
        m.create("w2", "c", null);
        active();
        Stats s = m.stats();
        assertEquals(new Stats(5, 1, 1, 3, 2, 3.5, 20.0), s);
    }

    @Test
    void listAgreesWithAFullSortForRandomFiltersAndPages() {
        // Many sessions, several per instant (ties broken by id), mixed statuses and names; every page of
        // every filter must be what filtering and sorting everything gives.
        SessionManager big = new SessionManager(new InMemorySessionStore(), clock, 10_000, Duration.ofHours(1));
        java.util.Random r = new java.util.Random(7);
        String[] names = {"Alice", "Bob", "Ünal", "ALICIA", "Zoë", "bobby"};
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            if (r.nextInt(3) == 0) {
                clock.advance(Duration.ofMillis(r.nextInt(5)));
            }
            Session s = big.create("Topic " + r.nextInt(40), names[r.nextInt(names.length)], null);
            ids.add(s.id());
            switch (r.nextInt(4)) {
                case 0 -> big.assign(s.id(), "agent_" + r.nextInt(3), "Agent " + names[r.nextInt(names.length)]);
                case 1 -> {
                    big.assign(s.id(), "agent_1", "Agent Wang");
                    big.accept(s.id(), "agent_1");
                }
                case 2 -> big.close(s.id());
                default -> { }
            }
        }
        List<Session> all = ids.stream().map(id -> big.get(id).orElseThrow()).toList();
        assertEquals(all.stream().filter(s -> !s.isEnded()).count(), big.openIndexSize());
        java.util.Comparator<Session> order = java.util.Comparator.comparing(Session::createdAt)
                .thenComparing(Session::id).reversed();
        String[] queries = {null, "", "  ", "ALI", "bob", "ünal", "ZOË", "topic 1", "agent wang", "nobody", "cust_"};
        SessionStatus[] statuses = {null, SessionStatus.WAITING, SessionStatus.ACTIVE, SessionStatus.ENDED};
        for (String q : queries) {
            for (SessionStatus st : statuses) {
                List<Session> expected = all.stream()
                        .filter(s -> st == null || s.status() == st)
                        .filter(s -> q == null || q.isBlank() || naiveMatch(s, q.trim()))
                        .sorted(order).toList();
                for (int size : new int[] {1, 7, 20, 100}) {
                    for (int page = 1; page <= expected.size() / size + 2; page += 1 + page / 3) {
                        SessionPage got = big.list(st, q, page, size);
                        int from = Math.min(expected.size(), (page - 1) * size);
                        List<String> want = expected.subList(from, Math.min(expected.size(), from + size))
                                .stream().map(Session::id).toList();
                        String what = "q=" + q + " status=" + st + " page=" + page + " size=" + size;
                        assertEquals(expected.size(), got.total(), what);
                        assertEquals(want, got.items().stream().map(Session::id).toList(), what);
                    }
                }
            }
        }
    }

    private static boolean naiveMatch(Session s, String q) {
        String needle = q.toLowerCase(java.util.Locale.ROOT);
        for (String f : new String[] {s.title(), s.customerName(), s.agentName(), s.id()}) {
            if (f != null && f.toLowerCase(java.util.Locale.ROOT).contains(needle)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void listFiltersSearchesAndPagesNewestFirst() {
        Session a = m.create("Refund", "Alice", null);
        clock.advance(Duration.ofSeconds(1));
        Session b = m.create("Delivery", "Bob", null);
        clock.advance(Duration.ofSeconds(1));
        Session c = m.create("Other", "Carol", null);
        m.assign(c.id(), "agent_001", "Agent Wang");
        m.accept(c.id(), "agent_001");
        assertEquals(List.of(c, b, a).stream().map(Session::id).toList(),
                m.list(null, null, 1, 20).items().stream().map(Session::id).toList());
        assertEquals(List.of(b.id()), m.list(null, "BOB", 1, 20).items().stream().map(Session::id).toList());
        assertEquals(List.of(c.id()), m.list(null, "wang", 1, 20).items().stream().map(Session::id).toList());
        assertEquals(List.of(a.id()), m.list(null, a.id().substring(3, 12), 1, 20).items().stream().map(Session::id).toList());
        SessionPage active = m.list(SessionStatus.ACTIVE, null, 1, 20);
        assertEquals(1, active.total());
        SessionPage p2 = m.list(null, null, 2, 2);
        assertEquals(3, p2.total());
        assertEquals(List.of(a.id()), p2.items().stream().map(Session::id).toList());
        assertTrue(m.list(null, null, 9, 2).items().isEmpty());
        assertRefused(Kind.INVALID, "page_size must be 1 to 100, was 101", () -> m.list(null, null, 1, 101));
        assertRefused(Kind.INVALID, "page must be 1 or more, was 0", () -> m.list(null, null, 0, 10));
    }

    @Test
    void sweepEndsSessionsPastTimeoutOnly() {
        Session old = m.create("old", "c", null);
        clock.advance(Duration.ofSeconds(1800));
        Session young = active();
        clock.advance(Duration.ofSeconds(1799));
        assertEquals(0, m.sweepTimeouts());
        clock.advance(Duration.ofSeconds(1)); // old: created_at + 3600 == now
        assertEquals(1, m.sweepTimeouts());
        assertEquals(EndReason.TIMEOUT, m.require(old.id()).endReason());
        assertEquals(SessionStatus.ACTIVE, m.require(young.id()).status());
        clock.advance(Duration.ofSeconds(1800));
        assertEquals(1, m.sweepTimeouts());
        assertEquals(EndReason.TIMEOUT, m.require(young.id()).endReason());
        assertEquals(0, m.sweepTimeouts());
    }

    @Test
    void endActiveLeavesWaitingSessions() {
        Session w = m.create("w", "c", null);
        Session a = active();
        assertEquals(1, m.endActive(EndReason.SHUTDOWN));
        assertEquals(EndReason.SHUTDOWN, m.require(a.id()).endReason());
        assertEquals(SessionStatus.WAITING, m.require(w.id()).status());
    }

    /** A listener of a given phase that notes its name when it hears a change. */
    private static SessionListener heard(SessionListener.Phase phase, String name, List<String> log) {
        return new SessionListener() {
            @Override
            public void onChanged(Session before, Session after) {
                log.add(name);
                if (name.equals("throws")) {
                    throw new IllegalStateException("a broken listener");
                }
            }

            @Override
            public Phase phase() {
                return phase;
            }
        };
    }

    @Test
    void listenersHearChangesPhaseByPhaseWhateverTheOrderTheyWereAdded() {
        List<String> log = new ArrayList<>();
        SessionManager pm = new SessionManager(new InMemorySessionStore(), clock, 5, Duration.ofHours(1));
        pm.addListener(heard(SessionListener.Phase.OTHER, "other-1", log));
        pm.addListener(heard(SessionListener.Phase.SIGNALING, "signaling", log));
        pm.addListener((b, a) -> log.add("lambda")); // no phase said: OTHER
        pm.addListener(heard(SessionListener.Phase.MEDIA, "throws", log));
        pm.addListener(heard(SessionListener.Phase.STATE, "state", log));
        pm.addListener(heard(SessionListener.Phase.MEDIA, "media", log));
        SessionListener late = heard(SessionListener.Phase.OTHER, "other-2", log);
        pm.addListener(late);
        pm.create("t", "c", null);
        assertEquals(List.of("state", "throws", "media", "signaling", "other-1", "lambda", "other-2"), log,
                "phase order, then the order added; a throwing listener does not stop the others");
        log.clear();
        pm.removeListener(late);
        pm.create("t", "c", null);
        assertEquals(List.of("state", "throws", "media", "signaling", "other-1", "lambda"), log);
    }

    @Test
    void storeFailureChangesNothing() throws IOException {
        FailingStore fs = new FailingStore();
        SessionManager fm = new SessionManager(fs, clock, 5, Duration.ofHours(1));
        fm.restore();
        List<Session> seen = new ArrayList<>();
        fm.addListener((b, a) -> seen.add(a));
        Session s = fm.create("t", "c", null);
        fs.fail = true;
        assertRefusedContaining(Kind.UNAVAILABLE, "nothing was changed", () -> fm.assign(s.id(), "a", "A"));
        assertRefusedContaining(Kind.UNAVAILABLE, "nothing was changed", () -> fm.create("t2", "c", null));
        assertEquals(s, fm.require(s.id()));
        assertEquals(1, fm.stats().totalSessions());
        assertEquals(1, seen.size());
        fs.fail = false;
        for (int i = 0; i < 4; i++) { // the failed create released its max_sessions reservation
            fm.create("t" + i, "c", null);
        }
        assertEquals(5, fm.stats().waitingSessions());
    }

    @Test
    void restoreRebuildsCountersAndLimit() throws IOException {
        Session a = active();
        m.end(a.id(), a.customerId());
        m.rate(a.id(), 3, null);
        m.create("w", "c", null);
        SessionManager again = new SessionManager(storeCopy(), clock, 2, Duration.ofHours(1));
        assertEquals(2, again.restore());
        assertEquals(m.stats(), again.stats());
        again.create("x", "c", null);
        Supplier<Session> third = () -> again.create("y", "c", null);
        assertRefusedContaining(Kind.LIMIT, "max_sessions (2)", third::get);
    }

    private SessionStore storeCopy() {
        InMemorySessionStore copy = new InMemorySessionStore();
        for (Session s : store.load()) {
            try {
                copy.put(s);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        return copy;
    }

    private static final class FailingStore implements SessionStore {
        volatile boolean fail;

        @Override
        public Collection<Session> load() {
            return List.of();
        }

        @Override
        public void put(Session session) throws IOException {
            if (fail) {
                throw new IOException("disk full");
            }
        }

        @Override
        public void close() {
        }
    }
}
