/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.agent;

import dev.cskit.api.annotation.Nullable;
import java.time.Instant;

/**
 * One offer of a session to one agent: a queued call, or a transfer from another agent. Immutable.
 *
 * @param id          unique per router state ({@link RoutingState#nextRingId()}); timers and the queue name a ring by it
 * @param sessionId   the session offered
 * @param agentId     the agent it rings
 * @param fromAgentId the agent transferring the call, or {@code null} for a call from the queue
 * @param agentName   the rung agent's name (the session takes it on accept)
 * @param expiresAt   when it stops ringing unanswered
 * @param accepting   whether the agent has accepted and the session is being taken (it can no longer time out)
 */
public record Ring(long id, String sessionId, String agentId, @Nullable String fromAgentId, String agentName,
                   Instant expiresAt, boolean accepting) {

    /** Whether it is a transfer (another agent hands over its call) rather than a call from the queue. */
    public boolean transfer() {
        return fromAgentId != null;
    }

    Ring accepting(boolean value) {
        return new Ring(id, sessionId, agentId, fromAgentId, agentName, expiresAt, value);
    }
}
