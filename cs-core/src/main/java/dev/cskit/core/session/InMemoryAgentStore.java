/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.session;

import dev.cskit.api.AgentAccount;
import dev.cskit.api.AgentStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** An {@link AgentStore} in memory only: agents added at runtime are lost on restart. Thread-safe. */
public final class InMemoryAgentStore implements AgentStore {

    private final Map<String, AgentAccount> agents = new LinkedHashMap<>(); // guarded by this
    private final Set<String> removed = new LinkedHashSet<>(); // guarded by this
    private boolean closed; // guarded by this

    @Override
    public synchronized Contents load() {
        return new Contents(new ArrayList<>(agents.values()), removed);
    }

    @Override
    public synchronized void put(AgentAccount agent) throws IOException {
        if (closed) {
            throw new IOException("agent store is closed");
        }
        removed.remove(agent.id());
        agents.put(agent.id(), agent);
    }

    @Override
    public synchronized void remove(String agentId) throws IOException {
        if (closed) {
            throw new IOException("agent store is closed");
        }
        agents.remove(agentId);
        removed.add(agentId);
    }

    @Override
    public synchronized void close() {
        closed = true;
    }
}
