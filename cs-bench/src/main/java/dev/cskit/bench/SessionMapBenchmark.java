/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.bench;

import dev.cskit.api.session.EndReason;
import dev.cskit.api.session.Rating;
import dev.cskit.api.session.Session;
import dev.cskit.api.session.SessionStatus;
import dev.cskit.api.session.Stats;
import dev.cskit.core.session.InMemorySessionStore;
import dev.cskit.core.session.SessionManager;
import dev.cskit.core.session.SessionPage;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * {@link SessionManager} (over an {@link InMemorySessionStore}) beside a raw {@link ConcurrentHashMap} of
 * {@link Session} records doing the same operations with nothing else: no per-session lock, no store write,
 * no counters, no validation. Methods named {@code raw*} are the baseline.
 *
 * <p>The map is prefilled with {@code sessions} sessions (through the store and {@link SessionManager#restore},
 * the same path a restart takes): a quarter each Waiting, Waiting with an agent, Active and Ended (half of
 * those rated). {@code create} adds sessions, so its map grows during the trial by the number of operations
 * run; {@code acceptEnd} adds its pool before the trial; the reads and {@code assign} keep it at
 * {@code sessions}.
 *
 * <p>Threads come from the command line ({@code -t 1}, {@code -t 2}); every state shared by the threads is
 * thread-safe, per-thread cursors and pools are {@link Scope#Thread}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms10g", "-Xmx10g", "-XX:+UseParallelGC"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class SessionMapBenchmark {

    @Param({"1000", "100000", "1000000"})
    public int sessions;

    static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");
    /** Matches about 1 % of customer names ("customer 12", "customer 120".."129", ...). */
    static final String QUERY = "customer 12";

    SessionManager manager;
    ConcurrentHashMap<String, Session> raw;
    /** Every prefilled id, for reads. */
    String[] ids;
    /** Prefilled Waiting ids, for assign. */
    String[] waitingIds;

    @Setup(Level.Trial)
    public void prefill() throws IOException {
        InMemorySessionStore store = new InMemorySessionStore();
        raw = new ConcurrentHashMap<>(sessions * 2);
        ids = new String[sessions];
        List<String> waiting = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            Session s = prefilled(i);
            store.put(s);
            raw.put(s.id(), s);
            ids[i] = s.id();
            if (s.status() == SessionStatus.WAITING) {
                waiting.add(s.id());
            }
        }
        waitingIds = waiting.toArray(new String[0]);
        Clock clock = Clock.fixed(EPOCH.plus(Duration.ofDays(1)), ZoneOffset.UTC);
        manager = new SessionManager(store, clock, Integer.MAX_VALUE, Duration.ofDays(365));
        int restored = manager.restore();
        if (restored != sessions) {
            throw new IllegalStateException("restored " + restored + " of " + sessions);
        }
        settle();
    }

    /**
     * Moves what setup made out of the young generation now, so that copying it (seconds for a million
     * sessions on this machine) does not land in the first measured iteration's first collection.
     */
    static void settle() {
        System.gc();
    }

    static Session prefilled(int i) {
        String id = String.format(Locale.ROOT, "cs_%015x", 0x5eed00000000L + i * 7919L);
        Session s = Session.newBuilder(id, "Order " + i + " does not arrive", "cust_" + Integer.toString(i, 36),
                "Customer " + i, EPOCH.plusSeconds(i)).description("Parcel tracking stopped three days ago").build();
        switch (i & 3) {
            case 0:
                return s;
            case 1:
                return s.toBuilder().agent("agent_" + (i % 50), "Agent " + (i % 50)).build();
            case 2:
                return s.toBuilder().agent("agent_" + (i % 50), "Agent " + (i % 50)).status(SessionStatus.ACTIVE)
                        .acceptedAt(s.createdAt().plusSeconds(30)).build();
            default:
                Session e = s.toBuilder().agent("agent_" + (i % 50), "Agent " + (i % 50))
                        .status(SessionStatus.ENDED).acceptedAt(s.createdAt().plusSeconds(30))
                        .ended(s.createdAt().plusSeconds(330), EndReason.AGENT_HANGUP).build();
                return (i & 4) == 0 ? e : e.toBuilder().rating(new Rating(4, "", e.endedAt())).build();
        }
    }

    /** A per-thread xorshift walk over the prefilled ids. */
    @State(Scope.Thread)
    public static class Cursor {
        private int x = ThreadLocalRandom.current().nextInt() | 1;

        int next(int bound) {
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            return (x & 0x7fffffff) % bound;
        }
    }

    /**
     * Per-thread supply of assigned Waiting sessions for {@code acceptEnd}, all made before the trial (so
     * neither their time nor their allocation is counted): {@link #PER_ITERATION} for each warmup and
     * measurement iteration, whose short time keeps the op count under that. If a run goes past it, the op
     * creates its own, counted and printed, so such a run is visible in the output.
     */
    @State(Scope.Thread)
    public static class ManagedPool {
        static final int PER_ITERATION = 100_000;
        String[] ids;
        int next;
        long spills;

        @Setup(Level.Trial)
        public void fill(SessionMapBenchmark b, BenchmarkParams params) {
            ids = new String[PER_ITERATION * iterations(params)];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = b.manager.assign(b.manager.create("Pool call", "Pool customer", null).id(),
                        "agent_pool", "Pool agent").id();
            }
            settle();
        }

        @TearDown(Level.Iteration)
        public void report() {
            if (spills > 0) {
                System.out.println("acceptEnd pool ran out: " + spills + " sessions created inside the measurement");
                spills = 0;
            }
        }
    }

    /** {@link ManagedPool} for the raw map (whose op is faster, so more per iteration). */
    @State(Scope.Thread)
    public static class RawPool {
        static final int PER_ITERATION = 300_000;
        String[] ids;
        int next;
        long spills;

        @Setup(Level.Trial)
        public void fill(SessionMapBenchmark b, BenchmarkParams params) {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            ids = new String[PER_ITERATION * iterations(params)];
            for (int i = 0; i < ids.length; i++) {
                Session s = rawPoolSession(r);
                b.raw.put(s.id(), s);
                ids[i] = s.id();
            }
            settle();
        }

        @TearDown(Level.Iteration)
        public void report() {
            if (spills > 0) {
                System.out.println("rawAcceptEnd pool ran out: " + spills + " sessions created inside the measurement");
                spills = 0;
            }
        }
    }

    static int iterations(BenchmarkParams params) {
        return params.getWarmup().getCount() + params.getMeasurement().getCount();
    }

    static Session rawPoolSession(ThreadLocalRandom r) {
        return Session.newBuilder(rawId(r), "Pool call", "cust_pool", "Pool customer", EPOCH)
                .agent("agent_pool", "Pool agent").build();
    }

    static String rawId(ThreadLocalRandom r) {
        return "cs_" + Long.toString(r.nextLong() >>> 1, 32);
    }

    // ---------------------------------------------------------------- SessionManager

    /** What a caller gets: the session (the Optional unwrapped, as {@code rawGet} returns the record). */
    @Benchmark
    public Session get(Cursor c) {
        return manager.get(ids[c.next(ids.length)]).orElse(null);
    }

    /** {@link #get} with the Optional itself escaping to the caller (it is then really allocated). */
    @Benchmark
    public Optional<Session> getOptional(Cursor c) {
        return manager.get(ids[c.next(ids.length)]);
    }

    @Benchmark
    public Session create() {
        return manager.create("Order does not arrive", "Customer new", "Parcel tracking stopped");
    }

    @Benchmark
    public Session assign(Cursor c) {
        int a = c.next(50);
        return manager.assign(waitingIds[c.next(waitingIds.length)], "agent_" + a, "Agent " + a);
    }

    /** accept then end (by the agent) of one assigned Waiting session: two transitions. */
    @Benchmark
    @Warmup(iterations = 4, time = 40, timeUnit = TimeUnit.MILLISECONDS)
    @Measurement(iterations = 5, time = 40, timeUnit = TimeUnit.MILLISECONDS)
    public Session acceptEnd(ManagedPool p) {
        String id;
        if (p.next < p.ids.length) {
            id = p.ids[p.next++];
        } else {
            p.spills++;
            id = manager.assign(manager.create("Pool call", "Pool customer", null).id(), "agent_pool", "Pool agent")
                    .id();
        }
        manager.accept(id, "agent_pool");
        return manager.end(id, "agent_pool");
    }

    @Benchmark
    public Stats stats() {
        return manager.stats();
    }

    @Benchmark
    public SessionPage list() {
        return manager.list(SessionStatus.ACTIVE, QUERY, 1, 20);
    }

    // ---------------------------------------------------------------- raw ConcurrentHashMap baseline

    @Benchmark
    public Session rawGet(Cursor c) {
        return raw.get(ids[c.next(ids.length)]);
    }

    @Benchmark
    public Session rawCreate() {
        Session s = Session.newBuilder(rawId(ThreadLocalRandom.current()), "Order does not arrive", "cust_new",
                "Customer new", EPOCH).description("Parcel tracking stopped").build();
        raw.putIfAbsent(s.id(), s);
        return s;
    }

    @Benchmark
    public Session rawAssign(Cursor c) {
        int a = c.next(50);
        String agentId = "agent_" + a;
        String agentName = "Agent " + a;
        return raw.computeIfPresent(waitingIds[c.next(waitingIds.length)],
                (k, s) -> s.status() == SessionStatus.WAITING ? s.toBuilder().agent(agentId, agentName).build() : s);
    }

    @Benchmark
    @Warmup(iterations = 4, time = 40, timeUnit = TimeUnit.MILLISECONDS)
    @Measurement(iterations = 5, time = 40, timeUnit = TimeUnit.MILLISECONDS)
    public Session rawAcceptEnd(RawPool p) {
        String id;
        if (p.next < p.ids.length) {
            id = p.ids[p.next++];
        } else {
            p.spills++;
            Session s = rawPoolSession(ThreadLocalRandom.current());
            raw.put(s.id(), s);
            id = s.id();
        }
        Instant now = EPOCH.plus(Duration.ofDays(1));
        raw.computeIfPresent(id, (k, s) -> s.toBuilder().status(SessionStatus.ACTIVE).acceptedAt(now).build());
        return raw.computeIfPresent(id, (k, s) -> s.toBuilder().status(SessionStatus.ENDED)
                .ended(now, EndReason.AGENT_HANGUP).build());
    }

    /** What stats costs without counters: a scan of every session. */
    @Benchmark
    public Stats rawStats() {
        long waiting = 0;
        long active = 0;
        long ended = 0;
        long rated = 0;
        long stars = 0;
        long durations = 0;
        long durationSum = 0;
        for (Session s : raw.values()) {
            switch (s.status()) {
                case WAITING -> waiting++;
                case ACTIVE -> active++;
                default -> ended++;
            }
            if (s.rating() != null) {
                rated++;
                stars += s.rating().stars();
            }
            if (s.isEnded() && s.acceptedAt() != null) {
                durations++;
                durationSum += s.durationSeconds(s.endedAt());
            }
        }
        return new Stats(waiting + active + ended, active, waiting, ended, rated,
                rated == 0 ? 0 : (double) stars / rated, durations == 0 ? 0 : (double) durationSum / durations);
    }

    @Benchmark
    public List<Session> rawList() {
        List<Session> matched = new ArrayList<>();
        for (Session s : raw.values()) {
            if (s.status() == SessionStatus.ACTIVE && (s.title().toLowerCase(Locale.ROOT).contains(QUERY)
                    || s.customerName().toLowerCase(Locale.ROOT).contains(QUERY)
                    || (s.agentName() != null && s.agentName().toLowerCase(Locale.ROOT).contains(QUERY))
                    || s.id().toLowerCase(Locale.ROOT).contains(QUERY))) {
                matched.add(s);
            }
        }
        matched.sort(Comparator.comparing(Session::createdAt).thenComparing(Session::id).reversed());
        return List.copyOf(matched.subList(0, Math.min(20, matched.size())));
    }
}
