/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.agent;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The {@link AgentRouter}'s lock, held around every read and change of its {@link RoutingState}: a re-entrant lock
 * of the process, and inside it the state's own {@link RoutingState#begin() begin}/{@link RoutingState#commit()
 * commit} (the cluster's lock for a shared state), only at the outermost hold. Used as
 * {@code try (RouterLock.Held h = lock.hold()) { … }}.
 *
 * <p><b>Threading:</b> thread-safe.
 */
final class RouterLock {

    private final ReentrantLock lock = new ReentrantLock();
    private final RoutingState state;
    private final Held held = new Held();

    RouterLock(RoutingState state) {
        this.state = state;
    }

    /** Takes the lock (and the state's, at the outermost hold); the {@link Held} lets both go. */
    Held hold() {
        lock.lock();
        if (lock.getHoldCount() == 1) {
            try {
                state.begin();
            } catch (RuntimeException | Error e) {
                lock.unlock();
                throw e;
            }
        }
        return held;
    }

    /** A hold of the lock; closing it commits the state (at the outermost hold) and lets the lock go. */
    final class Held implements AutoCloseable {
        @Override
        public void close() {
            try {
                if (lock.getHoldCount() == 1) {
                    state.commit();
                }
            } finally {
                lock.unlock();
            }
        }
    }
}
