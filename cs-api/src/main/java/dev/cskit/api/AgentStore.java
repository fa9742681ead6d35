/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Where agents managed at runtime are kept so they survive a restart. The configuration's agents are seeds:
 * an agent the store holds replaces the seed of its id, and an id the store removed stays removed even if a
 * seed names it. The plugin writes through it: a change is acknowledged to a client only after the call
 * returned.
 *
 * <p><b>Threading:</b> the plugin calls {@link #put} and {@link #remove} one at a time (never concurrently),
 * possibly from different threads; they may block (disk I/O). {@link #load} is called once, before any write.
 */
public interface AgentStore extends Closeable {

    /**
     * What a store holds.
     *
     * @param agents  the last version of every agent put and not removed since
     * @param removed the ids removed and not put again since
     */
    record Contents(List<AgentAccount> agents, Set<String> removed) {
        public Contents {
            agents = List.copyOf(Objects.requireNonNull(agents, "agents"));
            removed = Set.copyOf(Objects.requireNonNull(removed, "removed"));
        }

        /** Whether nothing was ever written (no agent, no removal). */
        public boolean isEmpty() {
            return agents.isEmpty() && removed.isEmpty();
        }
    }

    /**
     * Reads back what the store holds.
     *
     * @throws IOException if the stored data cannot be read or is corrupt; the message says where
     */
    Contents load() throws IOException;

    /**
     * Stores the newest version of an agent. When it returns normally, the change survives a crash of the
     * process (for a durable store).
     *
     * @throws IOException if it could not be stored; the change must then be treated as not made
     */
    void put(AgentAccount agent) throws IOException;

    /**
     * Records that an agent was removed (so a seed of that id stays removed).
     *
     * @throws IOException if it could not be stored; the change must then be treated as not made
     */
    void remove(String agentId) throws IOException;

    /** Flushes and releases what the store holds. Writes afterwards throw. */
    @Override
    void close() throws IOException;
}
