/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.session;

import dev.cskit.api.health.Readiness;
import java.io.Closeable;
import java.io.IOException;
import java.util.Collection;

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
