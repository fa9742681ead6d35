/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core;

import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.session.Session;
import dev.cskit.api.session.SessionStatus;
import dev.cskit.core.session.SessionListener;
import dev.cskit.core.session.SessionManager;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Lets a drain wait until no call is in progress: a session listener that wakes the waiter whenever a call ends,
 * so the waiter sleeps on a condition, not on a poll. Thread-safe.
 */
final class CallsInProgress implements SessionListener {

    private final SessionManager sessions;

    CallsInProgress(SessionManager sessions) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
    }

    @Override
    public synchronized void onChanged(@Nullable Session before, Session after) {
        if (before != null && before.status() == SessionStatus.ACTIVE && after.status() != SessionStatus.ACTIVE) {
            notifyAll();
        }
    }

    /**
     * Waits until no session is {@code Active}, at most {@code grace}.
     *
     * @return whether none is left
     */
    synchronized boolean awaitNone(Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        while (sessions.stats().activeSessions() > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }
}
