/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.agent;

import dev.cskit.api.AgentAccount;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.core.auth.AgentDirectory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The router's agents: finding them, telling each its state when it changes ({@code agent_state}), and the end
 * of a call (wrap-up, then idle). Not thread-safe: the {@link AgentRouter} calls it under its lock.
 */
final class AgentBook {

    private final RoutingState state;
    private final RoutingEvents events;
    private final RouterTimers timers;
    private final AgentDirectory directory;
    private final Clock clock;
    private final Duration wrapUp;
    private final BiConsumer<String, Instant> onWrapUpOver;

    /** @param onWrapUpOver what the wrap-up timer of an agent calls, with the end it was set for */
    AgentBook(RoutingState state, RoutingEvents events, RouterTimers timers, AgentDirectory directory, Clock clock,
              Duration wrapUp, BiConsumer<String, Instant> onWrapUpOver) {
        this.state = state;
        this.events = events;
        this.timers = timers;
        this.directory = directory;
        this.clock = clock;
        this.wrapUp = wrapUp;
        this.onWrapUpOver = onWrapUpOver;
    }

    AgentRecord get(String agentId) {
        return state.agent(agentId).orElseThrow(() -> new IllegalStateException("agent " + agentId + " is not tracked"));
    }

    /** The agent, added (offline) if a session names one the router has not seen. */
    AgentRecord track(String agentId, @Nullable String name) {
        Optional<AgentRecord> a = state.agent(agentId);
        if (a.isPresent()) {
            return a.get();
        }
        AgentRecord fresh = AgentRecord.offline(agentId, name != null ? name
                : directory.find(agentId).map(AgentAccount::name).orElse(agentId), clock.instant());
        state.putAgent(fresh);
        return fresh;
    }

    /** Tells the agent its state if it changed; true if it did. */
    boolean publish(String agentId) {
        AgentRecord a = get(agentId);
        AgentState s = a.state();
        if (s == a.published()) {
            return false;
        }
        a = a.published(s, clock.instant());
        state.putAgent(a);
        events.agentState(a.view());
        return true;
    }

    /** The agent's call of a session is over (ended or transferred away): wrap-up if set, else idle from now. */
    void endCall(String agentId, String sessionId) {
        AgentRecord a = state.agent(agentId).orElse(null);
        if (a == null || !a.calls().contains(sessionId)) {
            return;
        }
        a = a.withoutCall(sessionId);
        if (a.calls().isEmpty()) {
            Instant now = clock.instant();
            if (!wrapUp.isZero() && a.present()) {
                Instant until = now.plus(wrapUp);
                a = a.wrapUntil(until);
                timers.wrapUp(agentId, wrapUp, () -> onWrapUpOver.accept(agentId, until));
            } else {
                a = a.idleSince(now);
            }
        }
        state.putAgent(a);
        publish(agentId);
    }

    /** The agent without its wrap-up (over, or cut short by going ready), idle from now. */
    AgentRecord endWrapUp(AgentRecord a) {
        timers.cancelWrapUp(a.id());
        return a.wrapUntil(null).idleSince(clock.instant());
    }
}
