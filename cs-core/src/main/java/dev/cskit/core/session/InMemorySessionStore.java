/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.session;

import dev.cskit.api.session.OutboxRecord;
import dev.cskit.api.session.Session;
import dev.cskit.api.session.SessionStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link SessionStore} that keeps sessions and the webhook outbox in memory only: they are lost on restart.
 * Thread-safe.
 */
public final class InMemorySessionStore implements SessionStore {

    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, OutboxRecord> outbox = new LinkedHashMap<>(); // guarded by this
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
    public boolean keepsOutbox() {
        return true;
    }

    @Override
    public synchronized void put(Session session, List<OutboxRecord> records) throws IOException {
        put(session);
        keep(records);
    }

    @Override
    public synchronized void putOutbox(List<OutboxRecord> records) throws IOException {
        if (closed) {
            throw new IOException("session store is closed");
        }
        keep(records);
    }

    // guarded by this
    private void keep(List<OutboxRecord> records) {
        for (OutboxRecord r : records) {
            if (r.status().kept()) {
                outbox.put(r.id(), r);
            } else {
                outbox.remove(r.id());
            }
        }
    }

    @Override
    public synchronized List<OutboxRecord> loadOutbox() {
        return new ArrayList<>(outbox.values());
    }

    @Override
    public void close() {
        closed = true;
    }
}
