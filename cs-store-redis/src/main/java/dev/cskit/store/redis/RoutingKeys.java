/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.store.redis;

/** The Redis keys and channels of {@link RedisRoutingState}, all under {@code <prefix>routing:}. */
final class RoutingKeys {
    final String lock;
    final String agents;
    final String agentsOrder;
    final String queue;
    final String queueOrder;
    final String orderSeq;
    final String ringSeq;
    final String handling;
    final String seats;
    final String leases;
    private final String base;

    RoutingKeys(String prefix) {
        base = prefix + "routing:";
        lock = base + "lock";
        agents = base + "agents";
        agentsOrder = agents + ":order";
        queue = base + "queue";
        queueOrder = queue + ":order";
        orderSeq = base + "order-seq";
        ringSeq = base + "ring-seq";
        handling = base + "handling";
        seats = base + "seats";
        leases = base + "leases";
    }

    /** The keys of the commit script, in its order. */
    String[] commit() {
        return new String[] {lock, agents, agentsOrder, queue, queueOrder, orderSeq, handling, seats, leases};
    }

    /** A node's heartbeat: present while the node lives. */
    String node(String nodeId) {
        return base + "node:" + nodeId;
    }

    /** The channel of the lobby frames for the agents seated on a node. */
    String lobbyChannel(String nodeId) {
        return base + "lobby:" + nodeId;
    }
}
