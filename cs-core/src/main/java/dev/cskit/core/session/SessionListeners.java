/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.session;

import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.session.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session manager's listeners, kept in the order {@link SessionListener} promises: by
 * {@link SessionListener.Phase}, then in the order added. Thread-safe: copy-on-write, so announcing takes no
 * lock.
 */
final class SessionListeners {

    private static final Logger LOG = LoggerFactory.getLogger(SessionListeners.class);

    private volatile List<SessionListener> ordered = List.of();

    synchronized void add(SessionListener listener) {
        Objects.requireNonNull(listener, "listener");
        SessionListener.Phase phase = Objects.requireNonNull(listener.phase(), "phase");
        List<SessionListener> next = new ArrayList<>(ordered);
        int at = 0;
        while (at < next.size() && next.get(at).phase().compareTo(phase) <= 0) {
            at++;
        }
        next.add(at, listener);
        ordered = List.copyOf(next);
    }

    synchronized void remove(SessionListener listener) {
        List<SessionListener> next = new ArrayList<>(ordered);
        next.remove(listener);
        ordered = List.copyOf(next);
    }

    /** Tells every listener, in order; one that throws is logged and the rest still hear of the change. */
    void announce(@Nullable Session before, Session after) {
        for (SessionListener l : ordered) {
            try {
                l.onChanged(before, after);
            } catch (RuntimeException e) {
                LOG.error("session listener {} failed on {}", l, after.id(), e);
            }
        }
    }
}
