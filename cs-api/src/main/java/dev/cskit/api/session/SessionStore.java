/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.session;

import dev.cskit.api.health.Readiness;
import java.io.Closeable;
import java.io.IOException;
import java.util.Collection;
import java.util.List;

/**
 * Where sessions are kept so they survive a restart. The session manager writes through it: a change is
 * acknowledged to a client only after {@link #put} returned.
 *
 * <p><b>Threading:</b> {@link #put} may be called from many threads at once and may block (disk I/O);
 * implementations must be thread-safe. For one session id, the manager never calls {@code put}
 * concurrently and calls it in the order the changes happened. {@link #load} is called once, before any
 * {@code put}.
 */
public interface SessionStore extends Closeable {

    /**
     * Reads back every stored session, the last version of each.
     *
     * @throws IOException if the stored data cannot be read or is corrupt; the message says where
     */
    Collection<Session> load() throws IOException;

    /**
     * Stores the newest version of a session. When it returns normally, the change survives a crash of
     * the process (for a durable store).
     *
     * @throws IOException if it could not be stored; the change must then be treated as not made
     */
    void put(Session session) throws IOException;

    /**
     * Whether this store keeps a webhook outbox ({@link #put(Session, List)}, {@link #putOutbox},
     * {@link #loadOutbox}). The plugin refuses to start with webhooks configured on a store that does not. The
     * default: no.
     */
    default boolean keepsOutbox() {
        return false;
    }

    /**
     * Stores the newest version of a session and the outbox records the change caused, in one durable step: when
     * it returns normally both survive a crash of the process (for a durable store); when it throws, neither may
     * be delivered and the change counts as not made. The default stores the session alone, and refuses records
     * (a store without an outbox).
     *
     * @param outbox new deliveries (status {@link OutboxRecord.Status#PENDING}), in the order they must be sent;
     *               often empty
     * @throws IOException if it could not be stored
     */
    default void put(Session session, List<OutboxRecord> outbox) throws IOException {
        if (!outbox.isEmpty()) {
            throw new UnsupportedOperationException(getClass().getName() + " keeps no webhook outbox");
        }
        put(session);
    }

    /**
     * Stores new outbox records, or newer versions of kept ones (by {@link OutboxRecord#id}): a delivery's
     * progress. Records whose status is not {@linkplain OutboxRecord.Status#kept() kept} are forgotten (a
     * version for an id the store does not keep is ignored). Durable when it returns, like {@link #put}.
     *
     * @throws IOException if it could not be stored
     */
    default void putOutbox(List<OutboxRecord> records) throws IOException {
        if (!records.isEmpty()) {
            throw new UnsupportedOperationException(getClass().getName() + " keeps no webhook outbox");
        }
    }

    /**
     * The outbox records kept (pending and dead), newest version of each, in the order they were first stored.
     * Called once, after {@link #load}. The default: none.
     *
     * @throws IOException if they cannot be read
     */
    default List<OutboxRecord> loadOutbox() throws IOException {
        return List.of();
    }

    /**
     * Whether the store can take writes now (for a readiness probe); thread-safe, cheap, no write of its own. The
     * default: ready.
     */
    default Readiness readiness() {
        return Readiness.READY;
    }

    /** Flushes and releases what the store holds. Calls to {@link #put} afterwards throw. */
    @Override
    void close() throws IOException;
}
