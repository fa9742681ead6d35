/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.session;

import dev.cskit.api.session.Session;
import dev.cskit.api.session.SessionStore;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link SessionStore} that keeps sessions in memory only: they are lost on restart. Thread-safe. */
public final class InMemorySessionStore implements SessionStore {

    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    private volatile boolean closed;

    @Override
    public Collection<Session> load() {
        return List.copyOf(sessions.values());
    }

    @Override
    public void put(Session session) throws IOException {
        if (closed) {
            throw new IOException("session store is closed");
        }
        sessions.put(session.id(), session);
    }

    @Override
    public void close() {
        closed = true;
    }
}
