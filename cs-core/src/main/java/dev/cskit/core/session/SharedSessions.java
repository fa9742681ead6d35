/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.session;

import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.session.OutboxRecord;
import dev.cskit.api.session.Session;
import dev.cskit.api.session.SessionCounts;
import dev.cskit.api.session.SessionStatus;
import dev.cskit.api.session.SharedSessionStore;
import dev.cskit.api.session.SharedSessionStore.Outcome;
import dev.cskit.api.session.SharedSessionStore.Revision;
import dev.cskit.api.session.Stats;
import dev.cskit.core.session.SessionException.Kind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * How the {@link SessionManager} keeps sessions on a {@link SharedSessionStore} (a cluster): it holds none in
 * memory, since another node may change any of them. Every read goes to the store. Every change reads the session's
 * current revision, applies the rule ({@link SessionRules}) to it and writes the result back with
 * {@link SharedSessionStore#replace}, a compare-and-set on that revision; when another node changed the session in
 * between, the change is tried again from a fresh read, so the rule always decides on what every node sees (two
 * nodes accepting one call: the second finds it Active and gets {@link Kind#CONFLICT}). {@code max_sessions} is
 * checked by the store in the same atomic step as a create, for the whole cluster, and the counters behind
 * {@link #stats} live in the store.
 *
 * <p>The listeners hear the changes made on this node, in order for each session: a lock striped by session id is
 * held across the write and the announcement. The sessions not ended that were created or changed on this node are
 * remembered as its own ({@link #local}): until rooms are shared between nodes, their calls are the ones it hosts.
 *
 * <p><b>Threading:</b> thread-safe; every method may block on the store. A store that cannot be reached makes
 * every method throw {@link Kind#UNAVAILABLE}.
 */
final class SharedSessions {

    /** How often a change is tried when other nodes keep changing its session first. */
    static final int ATTEMPTS = 16;
    /** Sessions read from the store at once while scanning. */
    private static final int SCAN_BATCH = 500;
    private static final int STRIPES = 64;

    private final SharedSessionStore store;
    private final SessionListeners listeners;
    private final Object[] stripes = new Object[STRIPES];
    private final Set<String> local = ConcurrentHashMap.newKeySet();

    SharedSessions(SharedSessionStore store, SessionListeners listeners) {
        this.store = Objects.requireNonNull(store, "store");
        this.listeners = Objects.requireNonNull(listeners, "listeners");
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Object();
        }
    }

    /** Fails unless the store answers: what {@link SessionManager#restore()} checks at start. */
    void check() throws IOException {
        store.counts();
    }

    // ---------------------------------------------------------------- reads

    Optional<Session> get(String id) {
        try {
            return store.read(id).map(Revision::session);
        } catch (IOException e) {
            throw unavailable("read session " + id, e);
        }
    }

    /** Every stored session in {@code status} (every one for {@code null}), newest first. */
    List<Session> scan(@Nullable SessionStatus status) {
        // Sessions created during the scan shift the later batches; a map drops the ones seen twice.
        Map<String, Session> out = new LinkedHashMap<>();
        try {
            long skip = 0;
            while (true) {
                List<Session> batch = store.newest(status, skip, SCAN_BATCH);
                for (Session s : batch) {
                    out.putIfAbsent(s.id(), s);
                }
                if (batch.size() < SCAN_BATCH) {
                    return new ArrayList<>(out.values());
                }
                skip += batch.size();
            }
        } catch (IOException e) {
            throw unavailable("list sessions", e);
        }
    }

    /** The sessions not ended, of every node. */
    List<Session> open() {
        List<Session> out = scan(SessionStatus.WAITING);
        out.addAll(scan(SessionStatus.ACTIVE));
        return out;
    }

    /** The sessions not ended that were created or changed on this node. */
    List<Session> local() {
        List<Session> out = new ArrayList<>();
        for (String id : local) {
            Optional<Session> s = get(id);
            if (s.isEmpty() || s.get().isEnded()) {
                local.remove(id); // ended on another node
            } else {
                out.add(s.get());
            }
        }
        return out;
    }

    /** A page as {@link SessionManager#list}: the newest straight from the store's index, a search or another order
     * by a scan. */
    SessionPage list(@Nullable SessionStatus status, @Nullable String query, int page, int pageSize, int maxPageSize,
                     SessionOrder order) {
        SessionListing.checkPage(page, pageSize, maxPageSize);
        if ((query != null && !query.isBlank()) || !order.isNewestFirst()) {
            List<Supplier<Session>> scan = new ArrayList<>();
            for (Session s : scan(status)) {
                scan.add(() -> s);
            }
            return SessionListing.page(scan, status, query, page, pageSize, maxPageSize, order.comparator());
        }
        try {
            SessionCounts c = store.counts();
            long total = status == null ? c.total() : switch (status) {
                case WAITING -> c.waiting();
                case ACTIVE -> c.active();
                case ENDED -> c.ended();
            };
            List<Session> items = store.newest(status, (long) (page - 1) * pageSize, pageSize);
            return new SessionPage(items, total, page, pageSize);
        } catch (IOException e) {
            throw unavailable("list sessions", e);
        }
    }

    Stats stats() {
        try {
            return store.counts().stats();
        } catch (IOException e) {
            throw unavailable("read the session counters", e);
        }
    }

    // ---------------------------------------------------------------- changes

    /** Stores a new session if fewer than {@code maxSessions} are open in the cluster, and announces it. */
    Session create(Session s, SessionOutbox outbox, int maxSessions) {
        synchronized (stripe(s.id())) {
            List<OutboxRecord> records = SessionManager.recordsFor(outbox, null, s);
            Outcome outcome;
            try {
                outcome = store.create(s, records, maxSessions);
            } catch (IOException | RuntimeException e) {
                throw SessionManager.notStored(s.id(), e);
            }
            if (outcome == Outcome.LIMIT) {
                throw new SessionException(Kind.LIMIT, "max_sessions (" + maxSessions + ") sessions are open in the "
                        + "cluster; end or close a session, or raise max_sessions, before creating another");
            }
            SessionManager.stored(outbox, records, s.id());
            local.add(s.id());
            listeners.announce(null, s);
            return s;
        }
    }

    /** Applies {@code change} to the stored version, compare-and-set, again from a fresh read if it lost a race. */
    Session mutate(String id, SessionManager.Change change, SessionOutbox outbox) {
        synchronized (stripe(id)) {
            for (int attempt = 1; ; attempt++) {
                Revision current;
                try {
                    current = store.read(id).orElseThrow(() -> SessionManager.notFound(id));
                } catch (IOException e) {
                    throw unavailable("read session " + id, e);
                }
                Session before = current.session();
                Session after = change.apply(before);
                List<OutboxRecord> records = SessionManager.recordsFor(outbox, before, after);
                Outcome outcome;
                try {
                    outcome = store.replace(current, after, records);
                } catch (IOException | RuntimeException e) {
                    throw SessionManager.notStored(id, e);
                }
                if (outcome == Outcome.STORED) {
                    SessionManager.stored(outbox, records, id);
                    if (after.isEnded()) {
                        local.remove(id);
                    } else {
                        local.add(id);
                    }
                    listeners.announce(before, after);
                    return after;
                }
                if (attempt == ATTEMPTS) {
                    throw new SessionException(Kind.CONFLICT, "session " + id + " was changed on other nodes "
                            + ATTEMPTS + " times while this change was made; try again");
                }
            }
        }
    }

    private Object stripe(String id) {
        return stripes[Math.floorMod(id.hashCode(), STRIPES)];
    }

    private static SessionException unavailable(String what, IOException e) {
        return new SessionException(Kind.UNAVAILABLE, "could not " + what + ": the session store did not answer ("
                + e.getMessage() + "); try again later", e);
    }
}
