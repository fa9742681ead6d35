/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.metrics;

import dev.cskit.api.metrics.Counter;
import dev.cskit.api.metrics.Tags;
import dev.cskit.api.session.Session;
import dev.cskit.core.agent.AgentView;
import dev.cskit.core.agent.CancelReason;
import dev.cskit.core.agent.Ring;
import dev.cskit.core.agent.RoutingEvents;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the agent router's rings on their way to the agents' frames: {@code cskit_rings_total} (each ring once,
 * though a reconnected desk is shown a ring again) and {@code cskit_rings_ended_total{outcome}}, where the outcome
 * is {@code accepted} or the reason the ring was withdrawn ({@code rejected}, {@code timeout}, ...). Wraps the
 * {@link RoutingEvents} that turn the router's events into frames, so the router itself knows nothing of metrics.
 *
 * <p>Threading: as {@link RoutingEvents} (under the router's lock); the counters are thread-safe anyway.
 */
public final class RingMeters implements RoutingEvents {

    private final RoutingEvents next;
    private final Counter rings;
    private final Counter accepted;
    private final Map<CancelReason, Counter> withdrawn = new EnumMap<>(CancelReason.class);
    /** The highest ring id counted: ring ids only grow, and a ring shown again keeps its id. */
    private final AtomicLong lastRing = new AtomicLong(Long.MIN_VALUE);

    public RingMeters(MeterSet meters, RoutingEvents next) {
        this.next = Objects.requireNonNull(next, "next");
        rings = meters.counter("cskit_rings", "Calls offered to agents (rings), transfers included", Tags.empty());
        String help = "Rings that ended, by outcome: accepted, or why the ring was withdrawn";
        accepted = meters.counter("cskit_rings_ended", help, Tags.of("outcome", "accepted"));
        for (CancelReason r : CancelReason.values()) {
            withdrawn.put(r, meters.counter("cskit_rings_ended", help, Tags.of("outcome", r.wireName())));
        }
    }

    @Override
    public void incomingCall(Ring ring, Duration ringTimeout) {
        if (lastRing.getAndAccumulate(ring.id(), Math::max) < ring.id()) {
            rings.increment();
        }
        next.incomingCall(ring, ringTimeout);
    }

    @Override
    public void incomingCancelled(String agentId, String sessionId, CancelReason reason) {
        withdrawn.get(reason).increment();
        next.incomingCancelled(agentId, sessionId, reason);
    }

    @Override
    public void incomingAccepted(String agentId, Session session, String media, boolean transfer) {
        accepted.increment();
        next.incomingAccepted(agentId, session, media, transfer);
    }

    @Override
    public void agentState(AgentView agent) {
        next.agentState(agent);
    }

    @Override
    public void transferRinging(String byAgentId, Ring ring, Duration ringTimeout) {
        next.transferRinging(byAgentId, ring, ringTimeout);
    }

    @Override
    public void transferFailed(String byAgentId, String sessionId, String toAgentId, CancelReason reason) {
        next.transferFailed(byAgentId, sessionId, toAgentId, reason);
    }

    @Override
    public boolean queuePosition(String sessionId, String customerId, int position, long estimatedWait) {
        return next.queuePosition(sessionId, customerId, position, estimatedWait);
    }
}
