/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.webhook;

import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.session.OutboxRecord;
import java.time.Instant;

/** A delivery of {@link WebhookDispatcher} as the admin API shows it: its record and where it is. */
record QueuedDelivery(OutboxRecord record, boolean durable, State state, @Nullable Instant nextAttemptAt) {

    /** Where a delivery is, besides its stored status. */
    enum State { QUEUED, IN_FLIGHT, RETRYING, DEAD }
}
