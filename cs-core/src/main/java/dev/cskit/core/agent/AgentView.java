/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.agent;

import dev.cskit.api.annotation.Nullable;
import java.time.Instant;
import java.util.List;

/**
 * An agent as the router shows it (the agent list, the desk, {@code agent_state}). Immutable.
 *
 * @param id             the agent id
 * @param name           its display name
 * @param state          where it is
 * @param present        whether it is checked in (lobby seat or status)
 * @param ringingSession the session ringing it, or {@code null}
 * @param calls          the sessions it is in (Active)
 * @param idleSince      when it last became free (routing offers calls to the longest idle first)
 * @param stateSince     when it entered its current state
 * @param wrapUntil      when its after-call work ends, or {@code null}
 */
public record AgentView(String id, String name, AgentState state, boolean present, @Nullable String ringingSession,
                        List<String> calls, Instant idleSince, Instant stateSince, @Nullable Instant wrapUntil) {
    public AgentView {
        calls = List.copyOf(calls);
    }
}
