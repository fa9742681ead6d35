/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.agent;

import dev.cskit.api.annotation.Nullable;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * What the router keeps of one queued session ({@link RoutingState}). Immutable.
 *
 * @param sessionId    the session
 * @param customerId   its customer (told its position in the call room)
 * @param since        when it joined the queue
 * @param declined     the agents who passed on it (not offered it again until they become ready again)
 * @param ringId       the ring offering it now, or 0
 * @param ringingAgent the agent that ring rings, or {@code null}
 * @param toldPosition the position the customer was last told, 0 if not told (or to be told again)
 * @param toldWait     the estimated wait it was last told, -1 if not told
 */
public record QueuedCall(String sessionId, String customerId, Instant since, Set<String> declined, long ringId,
                         @Nullable String ringingAgent, int toldPosition, long toldWait) {

    public QueuedCall {
        declined = Set.copyOf(declined);
    }

    /** A session that just joined the queue. */
    public static QueuedCall waiting(String sessionId, String customerId, Instant since) {
        return new QueuedCall(sessionId, customerId, since, Set.of(), 0, null, 0, -1);
    }

    QueuedCall declinedBy(String agentId) {
        Set<String> d = new HashSet<>(declined);
        d.add(agentId);
        return new QueuedCall(sessionId, customerId, since, d, ringId, ringingAgent, toldPosition, toldWait);
    }

    QueuedCall undeclined(String agentId) {
        Set<String> d = new HashSet<>(declined);
        d.remove(agentId);
        return new QueuedCall(sessionId, customerId, since, d, ringId, ringingAgent, toldPosition, toldWait);
    }

    QueuedCall ringing(Ring r) {
        return new QueuedCall(sessionId, customerId, since, declined, r.id(), r.agentId(), toldPosition, toldWait);
    }

    QueuedCall notRinging() {
        return new QueuedCall(sessionId, customerId, since, declined, 0, null, toldPosition, toldWait);
    }

    QueuedCall told(int position, long wait) {
        return new QueuedCall(sessionId, customerId, since, declined, ringId, ringingAgent, position, wait);
    }

    /** To be told its position again (the customer (re)joined its room). */
    QueuedCall untold() {
        return new QueuedCall(sessionId, customerId, since, declined, ringId, ringingAgent, 0, toldWait);
    }
}
