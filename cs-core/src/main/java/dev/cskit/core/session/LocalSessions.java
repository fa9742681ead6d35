/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.session;

import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.session.OutboxRecord;
import dev.cskit.api.session.Session;
import dev.cskit.api.session.SessionStatus;
import dev.cskit.api.session.SessionStore;
import dev.cskit.api.session.Stats;
import dev.cskit.core.session.SessionException.Kind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessions of a {@link SessionManager} that holds them itself (a store of this node only): one slot per
 * session whose monitor is the per-session lock, the index of open sessions, the {@code max_sessions}
 * reservation and the counters. Every change is written to the store, with its outbox records, before it is
 * visible. Thread-safe.
 */
final class LocalSessions {

    private static final Logger LOG = LoggerFactory.getLogger(SessionManager.class);

    /** A session's current version; its monitor is the per-session lock. */
    private static final class Slot implements Supplier<Session> {
        volatile Session session;

        Slot(Session session) {
            this.session = session;
        }

        @Override
        public Session get() {
            return session;
        }
    }

    private final SessionStore store;
    private final SessionListeners listeners;
    private final int maxSessions;
    private final ConcurrentHashMap<String, Slot> sessions = new ConcurrentHashMap<>();
    /** Sessions not ended, including creates in flight: the max_sessions reservation. */
    private final AtomicInteger live = new AtomicInteger();
    /** The sessions not ended (Waiting or Active), so listing those scans them only, not the whole history. */
    private final Set<Slot> open = ConcurrentHashMap.newKeySet();
    private final SessionCounters counters = new SessionCounters();

    LocalSessions(SessionStore store, SessionListeners listeners, int maxSessions) {
        this.store = store;
        this.listeners = listeners;
        this.maxSessions = maxSessions;
    }

    /** Loads what the store holds and rebuilds the counters; see {@link SessionManager#restore()}. */
    int restore() throws IOException {
        if (!sessions.isEmpty()) {
            throw new IllegalStateException("restore() must be called before any session is created");
        }
        Collection<Session> loaded = store.load();
        for (Session s : loaded) {
            Slot slot = new Slot(s);
            sessions.put(s.id(), slot);
            counters.apply(null, s);
            if (!s.isEnded()) {
                live.incrementAndGet();
                open.add(slot);
            }
        }
        if (live.get() > maxSessions) {
            LOG.warn("restored {} sessions not ended, more than max_sessions {}; new sessions are refused "
                    + "until some end", live.get(), maxSessions);
        }
        return loaded.size();
    }

    Optional<Session> get(String id) {
        Slot slot = sessions.get(id);
        return slot == null ? Optional.empty() : Optional.of(slot.session);
    }

    List<Session> all() {
        List<Session> out = new ArrayList<>(sessions.size());
        for (Slot s : sessions.values()) {
            out.add(s.session);
        }
        return out;
    }

    List<Session> open() {
        List<Session> out = new ArrayList<>(open.size());
        for (Slot s : open) {
            out.add(s.session);
        }
        return out;
    }

    /** Every session's current version, read when it is reached (for the sweeps). */
    Collection<? extends Supplier<Session>> slots() {
        return sessions.values();
    }

    SessionPage list(@Nullable SessionStatus status, @Nullable String query, int page, int pageSize, int maxPageSize,
                     SessionOrder order) {
        Collection<Slot> scan = status == SessionStatus.WAITING || status == SessionStatus.ACTIVE ? open
                : sessions.values();
        return SessionListing.page(scan, status, query, page, pageSize, maxPageSize, order.comparator());
    }

    int openIndexSize() {
        return open.size();
    }

    Stats stats() {
        return counters.snapshot();
    }

    /**
     * Reserves a place under {@code max_sessions}, then stores and announces the session {@code make} builds for
     * a fresh id from {@code newId}.
     */
    Session create(Supplier<String> newId, Function<String, Session> make, SessionOutbox outbox) {
        reserve();
        boolean made = false;
        try {
            String id;
            do {
                id = newId.get();
            } while (sessions.containsKey(id));
            Session s = make.apply(id);
            Slot slot = new Slot(s);
            synchronized (slot) {
                put(null, s, outbox);
                if (sessions.putIfAbsent(id, slot) != null) {
                    throw new IllegalStateException("session id collision: " + id);
                }
                open.add(slot);
                counters.apply(null, s);
                made = true;
                listeners.announce(null, s);
            }
            return s;
        } finally {
            if (!made) {
                live.decrementAndGet();
            }
        }
    }

    private void reserve() {
        while (true) {
            int n = live.get();
            if (n >= maxSessions) {
                throw new SessionException(Kind.LIMIT, "max_sessions (" + maxSessions + ") sessions are open; "
                        + "end or close a session, or raise max_sessions, before creating another");
            }
            if (live.compareAndSet(n, n + 1)) {
                return;
            }
        }
    }

    /** Applies {@code change} under the session's lock: stored, counted, announced; unchanged if it returns its input. */
    Session mutate(String id, SessionManager.Change change, SessionOutbox outbox) {
        Slot slot = sessions.get(id);
        if (slot == null) {
            throw SessionManager.notFound(id);
        }
        synchronized (slot) {
            Session before = slot.session;
            Session after = change.apply(before);
            if (after == before) {
                return before; // the change was made already: nothing to write, nothing to announce
            }
            put(before, after, outbox);
            slot.session = after;
            // Counters first, then free the reservation: stats() never counts more live sessions than are
            // reserved, so a create that takes the freed place cannot show max_sessions + 1 in between.
            counters.apply(before, after);
            if (!before.isEnded() && after.isEnded()) {
                open.remove(slot);
                live.decrementAndGet();
            }
            listeners.announce(before, after);
            return after;
        }
    }

    /** Writes a change and the outbox records it causes in one store write, then tells the outbox. */
    private void put(@Nullable Session before, Session s, SessionOutbox out) {
        List<OutboxRecord> records = SessionManager.recordsFor(out, before, s);
        try {
            if (records.isEmpty()) {
                store.put(s);
            } else {
                store.put(s, records);
            }
        } catch (IOException | RuntimeException e) {
            throw SessionManager.notStored(s.id(), e);
        }
        SessionManager.stored(out, records, s.id());
    }
}
