/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.api.session.Session;
import dev.cskit.api.session.SessionStatus;
import dev.cskit.api.session.SessionStore;
import dev.cskit.api.session.Stats;
import dev.cskit.core.MutableClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SessionConcurrencyTest {

    private static final int THREADS = 8;

    @Test
    void racingCreatesNeverExceedMaxSessions() throws Exception {
        SessionManager m = new SessionManager(new InMemorySessionStore(), new MutableClock(), 50, Duration.ofHours(1));
        m.restore();
        AtomicInteger refused = new AtomicInteger();
        runAll(t -> {
            for (int i = 0; i < 20; i++) {
                try {
                    m.create("t" + t + "-" + i, "c", null);
                } catch (SessionException e) {
                    assertEquals(SessionException.Kind.LIMIT, e.kind());
                    refused.incrementAndGet();
                }
            }
        });
        assertEquals(50, m.stats().waitingSessions());
        assertEquals(50, m.all().size());
        assertEquals(THREADS * 20 - 50, refused.get());
    }

    @Test
    void statsEqualRecountUnderConcurrentLifecycles() throws Exception {
        MutableClock clock = new MutableClock();
        SessionManager m = new SessionManager(new InMemorySessionStore(), clock, 60, Duration.ofHours(1));
        m.restore();
        ConcurrentLinkedQueue<String> invariantBreaks = new ConcurrentLinkedQueue<>();
        AtomicInteger maxLive = new AtomicInteger();
        m.addListener((b, a) -> {
            Stats s = m.stats();
            if (s.activeSessions() + s.waitingSessions() + s.endedSessions() != s.totalSessions()) {
                invariantBreaks.add(s.toString());
            }
            maxLive.accumulateAndGet((int) (s.activeSessions() + s.waitingSessions()), Math::max);
        });
        runAll(t -> {
            Random rnd = new Random(t);
            List<Session> mine = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                try {
                    int op = rnd.nextInt(6);
                    if (op == 0 || mine.isEmpty()) {
                        mine.add(m.create("t", "c", null));
                        continue;
                    }
                    // act on own sessions and, to make threads collide, on random ones of everybody
                    List<Session> all = m.all();
                    Session s = rnd.nextBoolean() ? mine.get(rnd.nextInt(mine.size())) : all.get(rnd.nextInt(all.size()));
                    switch (op) {
                        case 1 -> m.assign(s.id(), "agent_" + rnd.nextInt(3), "A");
                        case 2 -> m.accept(s.id(), "agent_" + rnd.nextInt(3));
                        case 3 -> m.end(s.id(), rnd.nextBoolean() ? s.customerId() : "agent_" + rnd.nextInt(3));
                        case 4 -> m.hold(s.id(), null);
                        default -> m.rate(s.id(), 1 + rnd.nextInt(5), null);
                    }
                    clock.advance(Duration.ofSeconds(1));
                } catch (SessionException expected) {
                    // refused transitions are part of the race
                }
            }
        });
        assertTrue(invariantBreaks.isEmpty(), invariantBreaks.toString());
        assertTrue(maxLive.get() <= 60, "live " + maxLive.get());
        List<Session> all = m.all();
        long waiting = all.stream().filter(s -> s.status() == SessionStatus.WAITING).count();
        long active = all.stream().filter(s -> s.status() == SessionStatus.ACTIVE).count();
        long ended = all.stream().filter(Session::isEnded).count();
        List<Session> rated = all.stream().filter(s -> s.rating() != null).toList();
        List<Session> timed = all.stream().filter(s -> s.isEnded() && s.acceptedAt() != null).toList();
        Stats s = m.stats();
        assertEquals(waiting + active, m.openIndexSize(), "the open-session index holds exactly the open ones");
        assertEquals(all.size(), s.totalSessions());
        assertEquals(waiting, s.waitingSessions());
        assertEquals(active, s.activeSessions());
        assertEquals(ended, s.endedSessions());
        assertEquals(rated.size(), s.ratedSessions());
        assertTrue(rated.size() > 0 && timed.size() > 0, "the race should have rated and timed sessions");
        assertEquals(rated.stream().mapToInt(x -> x.rating().stars()).average().orElse(0), s.averageRating(), 1e-9);
        assertEquals(timed.stream().mapToLong(x -> x.durationSeconds(x.endedAt())).average().orElse(0),
                s.averageDurationSeconds(), 1e-9);
    }

    @Test
    void concurrentChangesToOneSessionAreSerializedInStoreOrder() throws Exception {
        List<Session> written = Collections.synchronizedList(new ArrayList<>());
        InMemorySessionStore inner = new InMemorySessionStore();
        SessionStore recording = new SessionStore() {
            @Override
            public Collection<Session> load() {
                return List.of();
            }

            @Override
            public void put(Session session) throws IOException {
                inner.put(session);
                written.add(session);
            }

            @Override
            public void close() {
            }
        };
        SessionManager m = new SessionManager(recording, new MutableClock(), 10, Duration.ofHours(1));
        m.restore();
        Session s = m.create("t", "c", null);
        m.assign(s.id(), "a", "A");
        m.accept(s.id(), "a");
        AtomicInteger holds = new AtomicInteger();
        runAll(t -> {
            for (int i = 0; i < 200; i++) {
                try {
                    m.hold(s.id(), "a");
                    holds.incrementAndGet();
                } catch (SessionException e) {
                    try {
                        m.resume(s.id(), "a");
                    } catch (SessionException ignored) {
                        // the other toggle won
                    }
                }
            }
        });
        // hold and resume strictly alternate in what was stored: no lost or doubled update
        List<Session> toggles = written.subList(3, written.size());
        for (int i = 0; i < toggles.size(); i++) {
            assertEquals(i % 2 == 0, toggles.get(i).onHold(), "write " + i);
        }
        assertEquals(m.require(s.id()), written.get(written.size() - 1));
        assertTrue(holds.get() > 0);
    }

    private interface Body {
        void run(int thread) throws Exception;
    }

    private static void runAll(Body body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int id = t;
                fs.add(pool.submit(() -> {
                    start.await();
                    body.run(id);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : fs) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
