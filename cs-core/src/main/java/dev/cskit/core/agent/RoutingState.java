/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.agent;

import java.util.List;
import java.util.Optional;

/**
 * Everything the {@link AgentRouter} knows, behind one small boundary: the agents, the visitor queue, the
 * recent handling times and the ring counter. Values are immutable records that the router reads, changes
 * and puts back, so another implementation (e.g. one shared by a cluster) sees every change. Timers are not
 * state: they stay with the router that set them.
 *
 * <p><b>Threading:</b> the router calls it only under its own lock, so an implementation need not be
 * thread-safe for the router's sake; one shared between processes must make that lock shared too: the router
 * calls {@link #begin()} after taking its lock and {@link #commit()} before letting it go, and every read and
 * write in between is one atomic step for the whole cluster. In memory both do nothing.
 */
public interface RoutingState {

    /** A state held in memory (the default): one process, gone on restart (the router rebuilds it from the sessions). */
    static RoutingState inMemory() {
        return new InMemoryRoutingState();
    }

    Optional<AgentRecord> agent(String agentId);

    /** Every agent, in the order each was first put. */
    List<AgentRecord> agents();

    /** Stores an agent: replaces the one with its id in place, or adds it last. */
    void putAgent(AgentRecord agent);

    /** Forgets an agent (one removed from the directory, with no call left). */
    void removeAgent(String agentId);

    Optional<QueuedCall> queued(String sessionId);

    /** The queue, oldest first (the next to be served first). */
    List<QueuedCall> queue();

    /** Stores a queued call: replaces the one of its session in place, or adds it at the end of the queue. */
    void putQueued(QueuedCall call);

    /** Takes a session out of the queue; returns what it was. */
    Optional<QueuedCall> dequeue(String sessionId);

    /** Records the handling time of a call that ended, keeping only the latest {@code keep}. */
    void addHandlingTime(long seconds, int keep);

    /** The handling times kept, oldest first. */
    List<Long> handlingTimes();

    /** A ring id never given before (from 1). */
    long nextRingId();

    /**
     * Where the router's timers (ring timeouts, wrap-ups) run once due: on the scheduler's thread itself by default;
     * a shared state, whose steps wait on the network, hands them to an executor that may block.
     */
    default java.util.concurrent.Executor timerExecutor() {
        return Runnable::run;
    }

    /** The router's lock was taken: a shared state takes the cluster's lock and reads what it holds. */
    default void begin() {
    }

    /** The router lets its lock go: a shared state writes what changed and lets the cluster's lock go. */
    default void commit() {
    }

    /** The agent's lobby seat is now on this node. */
    default void seatTaken(String agentId) {
    }

    /** Whether the agent's lobby seat is on this node (or on no node known): only then does losing it here count. */
    default boolean seatHere(String agentId) {
        return true;
    }

    /** Whether the agent's lobby seat was on a node that is gone (its heartbeat stopped): its presence is lost. */
    default boolean seatLost(String agentId) {
        return false;
    }

    /**
     * Whether a ring's timeout is due and the node that set it (and holds its timer, the ring's lease) is gone or
     * late: then any node runs it. Always false in one process, where the timer itself runs it.
     */
    default boolean ringOrphaned(Ring ring, java.time.Instant now) {
        return false;
    }
}
