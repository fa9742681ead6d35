/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.session;

import dev.cskit.api.annotation.Nullable;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link SessionStore} that several cskit nodes use at once (a cluster). The store, not a node's memory, holds
 * the current version of every session, and the store decides which of two racing changes is made.
 *
 * <p>A session manager on a shared store reads sessions from it every time ({@link #read}, {@link #newest},
 * {@link #stats}), creates them with {@link #create}, which enforces the limit of open sessions across every node,
 * and changes them with {@link #replace}: a compare-and-set on the {@link Revision} it read, so of two nodes that
 * change one session from the same revision exactly one succeeds and the other gets {@link Outcome#STALE} (and
 * reads again). Each write stores the session, its index and counter updates and its webhook outbox records in
 * one atomic step. The manager calls neither {@link #load} nor {@link #put} on a shared store.
 *
 * <p>The {@linkplain #loadOutbox() outbox} a node loads and {@linkplain #putOutbox updates} is its own (each node
 * delivers the webhook events of the changes it made).
 *
 * <p><b>Threading:</b> thread-safe. Every method may block on the network and may be called from many threads at
 * once, for one session too (the revision decides). An {@link IOException} means the store could not be reached or
 * answered an error; a write that throws counts as not made.
 */
public interface SharedSessionStore extends SessionStore {

    /**
     * A session as stored, and its revision.
     *
     * @param session  the stored version
     * @param revision 1 when created, one more with every change
     */
    record Revision(Session session, long revision) {
        public Revision {
            Objects.requireNonNull(session, "session");
            if (revision < 1) {
                throw new IllegalArgumentException("revision must be 1 or more, was " + revision);
            }
        }
    }

    /** What a conditional write did. */
    enum Outcome {
        /** Written, with its outbox records. */
        STORED,
        /** Not written: the session is no longer at the revision the change was made from. */
        STALE,
        /** Not written: as many sessions as allowed are open (not ended). */
        LIMIT
    }

    /** The stored version of a session, or empty if there is none with that id. */
    Optional<Revision> read(String id) throws IOException;

    /**
     * Stores a new session at revision 1, with the outbox records it causes, if fewer than {@code maxOpen} sessions
     * are open in the store: the check and the write are one atomic step for every node.
     *
     * @return {@link Outcome#STORED} or {@link Outcome#LIMIT}
     * @throws IOException if it could not be stored, or a session with that id exists
     */
    Outcome create(Session session, List<OutboxRecord> outbox, int maxOpen) throws IOException;

    /**
     * Replaces a session with its next version, with the outbox records the change causes, if it is still at
     * {@code before}'s revision: the check and the write are one atomic step for every node.
     *
     * @param after the next version; same id as {@code before}'s session
     * @return {@link Outcome#STORED} or {@link Outcome#STALE}
     * @throws IOException if it could not be stored
     */
    Outcome replace(Revision before, Session after, List<OutboxRecord> outbox) throws IOException;

    /**
     * Stored sessions, newest first (creation time, then id, both descending): {@code count} of them after skipping
     * {@code skip}, only those in {@code status} unless it is {@code null}.
     */
    List<Session> newest(@Nullable SessionStatus status, long skip, int count) throws IOException;

    /** The counters of every stored session: O(1). */
    SessionCounts counts() throws IOException;
}
