/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.agent;

import java.util.ArrayList;
import java.util.List;

/**
 * The visitor queue as customers see it: positions and estimated waits, and telling each queued customer when
 * either changed. {@code estimated_wait} (seconds) = ⌈(position − Ready or ringing agents) × mean handling time
 * of the last {@value AgentRouter#HANDLING_SAMPLES} calls / agents checked in⌉, at least 0; the mean is
 * {@link AgentRouter#DEFAULT_HANDLING} before any call has ended.
 *
 * <p><b>Threading:</b> not thread-safe: the {@link AgentRouter} calls it under its lock.
 */
final class QueuePositions {

    private final RoutingState state;
    private final RoutingEvents events;

    QueuePositions(RoutingState state, RoutingEvents events) {
        this.state = state;
        this.events = events;
    }

    /** Counts a call that ended after being accepted into the handling-time mean. */
    void callHandled(long seconds) {
        state.addHandlingTime(seconds, AgentRouter.HANDLING_SAMPLES);
    }

    /** The queue, next to be served first, with positions and estimates. */
    List<QueueEntry> entries() {
        Estimate est = estimate();
        List<QueuedCall> queue = state.queue();
        List<QueueEntry> out = new ArrayList<>(queue.size());
        int pos = 0;
        for (QueuedCall q : queue) {
            pos++;
            out.add(new QueueEntry(q.sessionId(), q.customerId(), pos, est.waitAt(pos), q.since(), q.ringingAgent()));
        }
        return out;
    }

    /** Tells every queued customer whose position or estimate changed since it was last told. */
    void tell() {
        List<QueuedCall> queue = state.queue();
        if (queue.isEmpty()) {
            return;
        }
        Estimate est = estimate();
        int pos = 0;
        for (QueuedCall q : queue) {
            pos++;
            long wait = est.waitAt(pos);
            if (q.toldPosition() != pos || q.toldWait() != wait) {
                if (events.queuePosition(q.sessionId(), q.customerId(), pos, wait)) {
                    state.putQueued(q.told(pos, wait));
                }
            }
        }
    }

    /** The inputs of the wait estimate, read once for a whole queue. */
    private record Estimate(int ready, int staffed, double meanSeconds) {
        long waitAt(int position) {
            long ahead = position - ready;
            if (ahead <= 0) {
                return 0;
            }
            return (long) Math.ceil(ahead * meanSeconds / Math.max(1, staffed));
        }
    }

    private Estimate estimate() {
        int ready = 0;
        int staffed = 0;
        for (AgentRecord a : state.agents()) {
            AgentState s = a.state();
            if (s == AgentState.READY || s == AgentState.RINGING) {
                ready++;
            }
            if (s != AgentState.OFFLINE && s != AgentState.ONLINE) {
                staffed++;
            }
        }
        List<Long> handling = state.handlingTimes();
        double mean;
        if (handling.isEmpty()) {
            mean = AgentRouter.DEFAULT_HANDLING.toSeconds();
        } else {
            long sum = 0;
            for (long h : handling) {
                sum += h;
            }
            mean = (double) sum / handling.size();
        }
        return new Estimate(ready, staffed, mean);
    }
}
