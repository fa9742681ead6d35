/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.api.CsConfig;
import dev.cskit.api.PluginContext;
import dev.cskit.api.session.EndReason;
import dev.cskit.api.session.Session;
import dev.cskit.api.session.SessionStore;
import dev.cskit.core.http.RouteTable;
import dev.cskit.core.session.InMemorySessionStore;
import dev.cskit.core.session.SessionManager;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduler is one thread shared with every timer: scheduled work that changes sessions (the timeout
 * sweep, abandoned calls) must write the store on the host's blocking executor, never on the scheduler.
 * Real threads with names, a store that records who writes, and waits on conditions.
 */
class ScheduledWorkTest {

    private final MutableClock clock = new MutableClock();
    private final ScheduledThreadPoolExecutor scheduler =
            new ScheduledThreadPoolExecutor(1, r -> new Thread(r, "test-scheduler"));
    private final ExecutorService pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-blocking"));
    private final AtomicInteger blockingTasksDone = new AtomicInteger();
    private final List<String> writers = Collections.synchronizedList(new ArrayList<>());
    private CustomerService plugin;

    /** Notes the thread of every write. */
    private final class WhoWrites implements SessionStore {
        private final InMemorySessionStore delegate = new InMemorySessionStore();

        @Override
        public Collection<Session> load() {
            return delegate.load();
        }

        @Override
        public void put(Session session) throws IOException {
            writers.add(Thread.currentThread().getName());
            delegate.put(session);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    @AfterEach
    void stop() {
        if (plugin != null) {
            plugin.stop();
        }
        scheduler.shutdownNow();
        pool.shutdownNow();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    /** Waits until two more blocking tasks finished: at least one whole sweep ran after this call. */
    private void awaitAWholeSweep() throws InterruptedException {
        int from = blockingTasksDone.get();
        await(() -> blockingTasksDone.get() >= from + 2, "two sweeps");
    }

    @Test
    void timeoutAndAbandonedCallSweepsWriteOnTheBlockingExecutorNeverOnTheScheduler() throws Exception {
        plugin = new CustomerService(new WhoWrites(), Duration.ofMillis(10), Duration.ofSeconds(120));
        CsConfig cfg = CsConfig.newBuilder().dataDir(null).sessionTimeout(Duration.ofHours(1)).build();
        plugin.start(PluginContext.newBuilder().rooms(new FakeRoomService(clock)).http(new RouteTable())
                .scheduler(scheduler).clock(clock).config(cfg)
                .blockingExecutor(task -> pool.execute(() -> {
                    try {
                        task.run();
                    } finally {
                        blockingTasksDone.incrementAndGet();
                    }
                }))
                .build());
        SessionManager sessions = plugin.sessions();
        Session waiting = sessions.create("waits", "Wanda", null);
        Session call = sessions.create("call", "Carl", null);
        sessions.assign(call.id(), "agent_001", "Agent");
        sessions.accept(call.id(), "agent_001");
        writers.clear();

        // Nobody is in the call's room: a sweep notes it, and one after the grace ends it.
        awaitAWholeSweep();
        clock.advance(Duration.ofSeconds(121));
        await(() -> sessions.require(call.id()).isEnded(), "the abandoned call to end");
        assertEquals(EndReason.PEER_GONE, sessions.require(call.id()).endReason());

        clock.advance(Duration.ofHours(1));
        await(() -> sessions.require(waiting.id()).isEnded(), "the waiting session to time out");
        assertEquals(EndReason.TIMEOUT, sessions.require(waiting.id()).endReason());

        List<String> who = List.copyOf(writers);
        assertFalse(who.isEmpty());
        assertTrue(who.stream().allMatch("test-blocking"::equals), "store writes on " + who);
    }
}
