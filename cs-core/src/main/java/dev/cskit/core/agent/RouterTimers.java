/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.agent;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The router's timers on the host scheduler: one per ring (by ring id) and one per agent in wrap-up. They are
 * local to the process that set them, not {@link RoutingState}: a task checks when it fires that what it was
 * set for still holds. Not thread-safe: the {@link AgentRouter} calls it under its lock.
 */
final class RouterTimers {

    private final ScheduledExecutorService scheduler;
    private final Executor executor;
    private final Map<Long, ScheduledFuture<?>> rings = new HashMap<>();
    private final Map<String, ScheduledFuture<?>> wrapUps = new HashMap<>();

    /** @param executor where a task runs once due (the scheduler's thread itself, or one that may block) */
    RouterTimers(ScheduledExecutorService scheduler, Executor executor) {
        this.scheduler = scheduler;
        this.executor = executor;
    }

    void ring(long ringId, Duration after, Runnable task) {
        rings.put(ringId, scheduler.schedule(() -> executor.execute(task), after.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** Forgets a ring's timer (it fired, or the ring is over), cancelling it if still pending. */
    void cancelRing(long ringId) {
        cancel(rings.remove(ringId));
    }

    void wrapUp(String agentId, Duration after, Runnable task) {
        cancel(wrapUps.put(agentId, scheduler.schedule(() -> executor.execute(task), after.toMillis(),
                TimeUnit.MILLISECONDS)));
    }

    void cancelWrapUp(String agentId) {
        cancel(wrapUps.remove(agentId));
    }

    private static void cancel(ScheduledFuture<?> t) {
        if (t != null) {
            t.cancel(false);
        }
    }
}
