/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.agent;

import dev.cskit.api.annotation.Nullable;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ObjLongConsumer;

/**
 * The offers of sessions to agents: dispatch (the oldest queued session to the longest-idle Ready agent that
 * has not declined it), ringing with its timer, and withdrawing a ring with the reason the agent (and a
 * transferring agent) is told. Not thread-safe: the {@link AgentRouter} calls it under its lock.
 */
final class Rings {

    private static final Comparator<AgentRecord> LONGEST_IDLE =
            Comparator.comparing((AgentRecord a) -> a.idleSince()).thenComparing(a -> a.id());

    private final RoutingState state;
    private final RoutingEvents events;
    private final RouterTimers timers;
    private final AgentBook agents;
    private final Clock clock;
    private final Duration ringTimeout;
    private final ObjLongConsumer<String> onTimeout;

    /** @param onTimeout what a ring's timer calls, with the agent and the ring id */
    Rings(RoutingState state, RoutingEvents events, RouterTimers timers, AgentBook agents, Clock clock,
          Duration ringTimeout, ObjLongConsumer<String> onTimeout) {
        this.state = state;
        this.events = events;
        this.timers = timers;
        this.agents = agents;
        this.clock = clock;
        this.ringTimeout = ringTimeout;
        this.onTimeout = onTimeout;
    }

    /** Offers the oldest queued sessions to the longest-idle Ready agents that have not declined them. */
    void dispatch() {
        List<QueuedCall> queue = state.queue();
        if (queue.isEmpty()) {
            return;
        }
        List<AgentRecord> ready = new ArrayList<>();
        for (AgentRecord a : state.agents()) {
            if (a.state() == AgentState.READY) {
                ready.add(a);
            }
        }
        for (QueuedCall q : queue) {
            if (ready.isEmpty()) {
                return;
            }
            if (q.ringingAgent() != null) {
                continue;
            }
            AgentRecord best = ready.stream().filter(a -> !q.declined().contains(a.id())).min(LONGEST_IDLE).orElse(null);
            if (best != null) {
                ring(best.id(), q.sessionId(), null, true);
                ready.remove(best); // ringing now
            }
        }
    }

    /** Rings an agent for a session (from the queue, or a transfer by {@code fromAgentId}). */
    Ring ring(String agentId, String sessionId, @Nullable String fromAgentId, boolean fromQueue) {
        AgentRecord a = agents.get(agentId);
        Ring r = new Ring(state.nextRingId(), sessionId, agentId, fromAgentId, a.name(),
                clock.instant().plus(ringTimeout), false);
        state.putAgent(a.ring(r));
        if (fromQueue) {
            state.queued(sessionId).ifPresent(q -> state.putQueued(q.ringing(r)));
        }
        timers.ring(r.id(), ringTimeout, () -> onTimeout.accept(agentId, r.id()));
        agents.publish(agentId);
        events.incomingCall(r, ringTimeout);
        return r;
    }

    /** Clears an accepted (or withdrawn) ring: no event of its own. */
    void clear(String agentId) {
        AgentRecord a = agents.get(agentId);
        Ring r = a.ring();
        if (r == null) {
            return;
        }
        state.putAgent(a.ring(null));
        timers.cancelRing(r.id());
        state.queued(r.sessionId()).filter(q -> q.ringId() == r.id()).ifPresent(q -> state.putQueued(q.notRinging()));
    }

    /**
     * Withdraws the ring of an agent, if any (one being accepted only for {@link CancelReason#UNAVAILABLE}):
     * the agent is told, and a transferring agent too unless the session ended or was taken.
     *
     * @param declined whether the agent passed on it (the session is not offered to it again for now)
     */
    void cancel(String agentId, CancelReason reason, boolean declined) {
        Ring r = agents.get(agentId).ring();
        if (r == null || r.accepting() && reason != CancelReason.UNAVAILABLE) {
            return;
        }
        clear(agentId);
        if (declined) {
            state.queued(r.sessionId()).ifPresent(q -> state.putQueued(q.declinedBy(agentId)));
        }
        events.incomingCancelled(agentId, r.sessionId(), reason);
        if (r.transfer() && reason != CancelReason.ENDED && reason != CancelReason.TAKEN) {
            events.transferFailed(r.fromAgentId(), r.sessionId(), agentId, reason);
        }
    }

    /** Withdraws the rings of transfers of a session, except the one ringing {@code exceptAgent}. */
    void cancelTransfers(String sessionId, @Nullable String exceptAgent, CancelReason reason) {
        for (AgentRecord x : state.agents()) {
            AgentRecord a = agents.get(x.id());
            Ring r = a.ring();
            if (r != null && r.transfer() && r.sessionId().equals(sessionId) && !a.id().equals(exceptAgent)) {
                withdraw(a, reason);
            }
        }
    }

    /** Removes a session from the queue; a ring for it is withdrawn unless {@code taker} is the agent it rings. */
    void leaveQueue(String sessionId, CancelReason reason, @Nullable String taker) {
        QueuedCall q = state.dequeue(sessionId).orElse(null);
        if (q == null || q.ringingAgent() == null) {
            return;
        }
        AgentRecord a = state.agent(q.ringingAgent()).orElse(null);
        if (a != null && a.ring() != null && a.ring().id() == q.ringId() && !a.id().equals(taker)) {
            withdraw(a, reason);
        }
    }

    /** Withdraws a ring for a reason outside the agent (even one being accepted), and tells its new state. */
    private void withdraw(AgentRecord a, CancelReason reason) {
        state.putAgent(a.ring(a.ring().accepting(false)));
        cancel(a.id(), reason, false);
        agents.publish(a.id());
    }
}
