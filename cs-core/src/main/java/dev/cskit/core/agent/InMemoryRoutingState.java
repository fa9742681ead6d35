/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.agent;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/** {@link RoutingState} in memory: insertion-ordered maps. Not thread-safe (the router's lock guards it). */
final class InMemoryRoutingState implements RoutingState {

    private final LinkedHashMap<String, AgentRecord> agents = new LinkedHashMap<>();
    private final LinkedHashMap<String, QueuedCall> queue = new LinkedHashMap<>();
    private final ArrayDeque<Long> handling = new ArrayDeque<>();
    private long ringSeq;

    @Override
    public Optional<AgentRecord> agent(String agentId) {
        return Optional.ofNullable(agents.get(agentId));
    }

    @Override
    public List<AgentRecord> agents() {
        return List.copyOf(agents.values());
    }

    @Override
    public void putAgent(AgentRecord agent) {
        agents.put(agent.id(), agent); // an existing key keeps its place
    }

    @Override
    public void removeAgent(String agentId) {
        agents.remove(agentId);
    }

    @Override
    public Optional<QueuedCall> queued(String sessionId) {
        return Optional.ofNullable(queue.get(sessionId));
    }

    @Override
    public List<QueuedCall> queue() {
        return List.copyOf(queue.values());
    }

    @Override
    public void putQueued(QueuedCall call) {
        queue.put(call.sessionId(), call);
    }

    @Override
    public Optional<QueuedCall> dequeue(String sessionId) {
        return Optional.ofNullable(queue.remove(sessionId));
    }

    @Override
    public void addHandlingTime(long seconds, int keep) {
        handling.addLast(seconds);
        while (handling.size() > keep) {
            handling.removeFirst();
        }
    }

    @Override
    public List<Long> handlingTimes() {
        return List.copyOf(handling);
    }

    @Override
    public long nextRingId() {
        return ++ringSeq;
    }
}
