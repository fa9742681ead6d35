/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.cluster;

import dev.cskit.api.Ids;
import dev.cskit.api.annotation.Nullable;
import java.net.URI;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * One node of a cluster as its last heartbeat described it.
 *
 * @param nodeId   its {@code cluster.node_id}
 * @param url      where the other nodes reach it ({@code cluster.public_url}); null if it has none, and then it is
 *                 never chosen as a media home by another node
 * @param calls    the calls in progress it hosts
 * @param peers    its WebRTC peer connections (WHIP/WHEP resources): its media load
 * @param draining taken out of the choice for new media homes (SIGTERM, or {@code POST /nodes/{id}/drain})
 * @param started  when it started
 * @param lastSeen its last heartbeat
 */
public record NodeInfo(String nodeId, @Nullable URI url, long calls, int peers, boolean draining, Instant started,
                       Instant lastSeen) {

    /** Least loaded first: fewer peer connections, then fewer calls, then the node id (so every node agrees). */
    public static final Comparator<NodeInfo> LEAST_LOADED = Comparator.comparingInt(NodeInfo::peers)
            .thenComparingLong(NodeInfo::calls).thenComparing(NodeInfo::nodeId);

    public NodeInfo {
        Ids.require("node id", nodeId);
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(lastSeen, "lastSeen");
        if (calls < 0 || peers < 0) {
            throw new IllegalArgumentException("calls and peers must not be negative, were " + calls + ", " + peers);
        }
    }

    /** Whether another node may make it a media home: it has a URL and is not draining. */
    public boolean takesNewHomes() {
        return url != null && !draining;
    }
}
