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

    private static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

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
     * Waits until this node hosts no {@code Active} session ({@link SessionManager#hostedCalls()}), at most
     * {@code grace}.
     *
     * @return whether none is left
     * @throws dev.cskit.core.session.SessionException if a shared session store cannot be read
     */
    synchronized boolean awaitNone(Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        while (sessions.hostedCalls() > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            // A call ended through another node of a cluster is not heard of here: look again at least every second.
            TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, RECHECK_NANOS));
        }
        return true;
    }
}
