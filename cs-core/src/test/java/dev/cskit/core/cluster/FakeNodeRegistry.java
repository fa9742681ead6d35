/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** A {@link NodeRegistry} in memory for tests: its live nodes are what {@code live} gives; it records what is sent. */
final class FakeNodeRegistry implements NodeRegistry {
    final Map<String, String> homes = new HashMap<>();
    final Map<String, String> resources = new HashMap<>();
    final List<String> sent = new ArrayList<>();
    private final Supplier<List<NodeInfo>> live;

    FakeNodeRegistry(Supplier<List<NodeInfo>> live) {
        this.live = live;
    }

    @Override
    public Duration ttl() {
        return Duration.ofSeconds(8);
    }

    @Override
    public boolean heartbeat(NodeInfo self) {
        return self.draining();
    }

    @Override
    public List<NodeInfo> live() {
        return live.get();
    }

    @Override
    public synchronized String claimHome(String sessionId, String candidate) {
        String current = homes.get(sessionId);
        if (current != null && live().stream().anyMatch(n -> n.nodeId().equals(current))) {
            return current;
        }
        homes.put(sessionId, candidate);
        return candidate;
    }

    @Override
    public synchronized Optional<String> home(String sessionId) {
        return Optional.ofNullable(homes.get(sessionId));
    }

    @Override
    public synchronized void placeResource(String resourceId, String nodeId) {
        resources.put(resourceId, nodeId);
    }

    @Override
    public synchronized Optional<String> resourceNode(String resourceId) {
        return Optional.ofNullable(resources.get(resourceId));
    }

    @Override
    public boolean drain(String nodeId) {
        return false;
    }

    @Override
    public synchronized void send(String nodeId, String message) {
        sent.add(nodeId + " " + message);
    }

    @Override
    public void listen(String selfId, Consumer<String> receiver) {
    }

    @Override
    public void leave(String nodeId) {
    }

    @Override
    public void close() {
    }
}
