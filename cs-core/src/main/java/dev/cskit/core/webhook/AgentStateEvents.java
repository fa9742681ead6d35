/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.webhook;

import dev.cskit.api.session.Session;
import dev.cskit.core.agent.AgentState;
import dev.cskit.core.agent.AgentView;
import dev.cskit.core.agent.CancelReason;
import dev.cskit.core.agent.Ring;
import dev.cskit.core.agent.RoutingEvents;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * Passes the router's events on and tells {@code changed} when an agent's state changed (before the desk hears it):
 * the router also repeats an unchanged state to a desk that reconnects, which is no change. Threading as {@link RoutingEvents}: under the
 * router's lock; {@code changed} must not block.
 */
final class AgentStateEvents implements RoutingEvents {

    private final RoutingEvents next;
    private final BiConsumer<AgentView, AgentState> changed;
    private final Map<String, AgentState> last = new HashMap<>(); // guarded by this

    /** @param changed the agent's view and its state before ({@code offline} before its first announcement) */
    AgentStateEvents(RoutingEvents next, BiConsumer<AgentView, AgentState> changed) {
        this.next = Objects.requireNonNull(next, "next");
        this.changed = Objects.requireNonNull(changed, "changed");
    }

    @Override
    public void agentState(AgentView agent) {
        AgentState previous;
        synchronized (this) {
            previous = last.put(agent.id(), agent.state());
        }
        if (previous == null) {
            previous = AgentState.OFFLINE; // where every agent is when the plugin starts
        }
        if (previous != agent.state()) {
            changed.accept(agent, previous);
        }
        next.agentState(agent);
    }

    @Override
    public void incomingCall(Ring ring, Duration ringTimeout) {
        next.incomingCall(ring, ringTimeout);
    }

    @Override
    public void incomingCancelled(String agentId, String sessionId, CancelReason reason) {
        next.incomingCancelled(agentId, sessionId, reason);
    }

    @Override
    public void incomingAccepted(String agentId, Session session, String media, boolean transfer) {
        next.incomingAccepted(agentId, session, media, transfer);
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
