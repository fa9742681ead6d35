/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.session;

import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.session.Session;
import dev.cskit.api.session.SessionCounts;
import dev.cskit.api.session.Stats;

/**
 * The counters behind {@link SessionManager#stats()}, kept from each change ({@link SessionCounts#change}) so a
 * snapshot is O(1). Guarded by its own monitor, so a snapshot is consistent. Thread-safe.
 */
final class SessionCounters {

    private SessionCounts counts = SessionCounts.ZERO;

    /** Counts one change: {@code before} {@code null} for a new (or restored) session. */
    synchronized void apply(@Nullable Session before, Session after) {
        counts = counts.plus(SessionCounts.change(before, after));
    }

    synchronized Stats snapshot() {
        return counts.stats();
    }
}
