/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.agent;

import dev.cskit.api.annotation.Nullable;
import java.time.Instant;

/**
 * A waiting customer in the queue, as the router shows it. Immutable.
 *
 * @param sessionId     the session
 * @param customerId    its customer
 * @param position      1 for the next to be served
 * @param estimatedWait the estimated wait, in seconds
 * @param waitingSince  when it joined the queue
 * @param ringingAgent  the agent it is being offered to, or {@code null}
 */
public record QueueEntry(String sessionId, String customerId, int position, long estimatedWait,
                         Instant waitingSince, @Nullable String ringingAgent) {
}
