/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import dev.cskit.api.Ids;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.store.redis.RedisSessionStore;
import java.net.URI;
import java.util.Objects;

/**
 * The {@code cluster} section: several servers share their sessions in one Redis.
 *
 * @param redis     {@code redis}: {@code redis://[[user]:password@]host[:port][/db]} (or {@code rediss://} for TLS)
 * @param nodeId    {@code node_id}: this node's id, unique in the cluster and kept across restarts (its webhook
 *                  deliveries are kept under it)
 * @param publicUrl {@code public_url}: where the other nodes reach this one, e.g. {@code http://10.0.0.5:8080}; or null
 */
public record ClusterConfig(URI redis, String nodeId, @Nullable URI publicUrl) {

    public ClusterConfig {
        Objects.requireNonNull(redis, "redis");
        if (!"redis".equals(redis.getScheme()) && !"rediss".equals(redis.getScheme()) || redis.getHost() == null) {
            throw new IllegalArgumentException("cluster.redis must be redis://host:port/db (or rediss://…), was '"
                    + RedisSessionStore.withoutPassword(redis) + "'");
        }
        if (!Ids.isValid(nodeId)) {
            throw new IllegalArgumentException(Ids.problem("cluster.node_id", nodeId));
        }
        if (publicUrl != null && (!"http".equals(publicUrl.getScheme()) && !"https".equals(publicUrl.getScheme())
                || publicUrl.getHost() == null)) {
            throw new IllegalArgumentException("cluster.public_url must be an absolute http:// or https:// URL, was '"
                    + publicUrl + "'");
        }
    }

    /** Without the Redis password. */
    @Override
    public String toString() {
        return "ClusterConfig[redis=" + RedisSessionStore.withoutPassword(redis) + ", nodeId=" + nodeId
                + ", publicUrl=" + publicUrl + "]";
    }
}
