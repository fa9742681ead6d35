/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.session;

import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.session.Session;
import dev.cskit.api.session.SessionStatus;
import dev.cskit.api.session.Stats;

/**
 * The counters behind {@link SessionManager#stats()}, kept from each change so a snapshot is O(1). Guarded by
 * its own monitor, so a snapshot is consistent. Thread-safe.
 */
final class SessionCounters {

    private long total;
    private long waiting;
    private long active;
    private long ended;
    private long rated;
    private long starSum;
    private long durationCount;
    private long durationSum;

    /** Counts one change: {@code before} {@code null} for a new (or restored) session. */
    synchronized void apply(@Nullable Session before, Session after) {
        if (before == null) {
            total++;
        } else {
            add(before.status(), -1);
        }
        add(after.status(), 1);
        if ((before == null || before.rating() == null) && after.rating() != null) {
            rated++;
            starSum += after.rating().stars();
        }
        if ((before == null || !before.isEnded()) && after.isEnded() && after.acceptedAt() != null) {
            durationCount++;
            durationSum += after.durationSeconds(after.endedAt());
        }
    }

    private void add(SessionStatus status, int delta) {
        switch (status) {
            case WAITING -> waiting += delta;
            case ACTIVE -> active += delta;
            case ENDED -> ended += delta;
            default -> throw new IllegalStateException("unknown status " + status);
        }
    }

    synchronized Stats snapshot() {
        return new Stats(total, active, waiting, ended, rated,
                rated == 0 ? 0 : (double) starSum / rated,
                durationCount == 0 ? 0 : (double) durationSum / durationCount);
    }
}
