/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import dev.cskit.store.redis.RedisServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A cluster for the cluster ITs: one real {@code redis-server} and server nodes started as child JVMs (heaps capped at
 * 256 MB) from a YAML config whose {@code cluster} section points at that Redis. {@link #close()} closes every node
 * and anything else handed to {@link #closeLater}, then Redis, and keeps going when one fails. Used from the test
 * thread only.
 */
final class ClusterNodes implements AutoCloseable {

    /** Launches {@code dev.cskit.server.Main} from the test class path. */
    static final List<String> CLASS_PATH = List.of("-cp", System.getProperty("java.class.path"),
            "dev.cskit.server.Main");

    private final Path dir;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private RedisServer redis;

    private ClusterNodes(Path dir, RedisServer redis) {
        this.dir = dir;
        this.redis = redis;
    }

    /** Starts Redis with its files under {@code dir/redis}; nodes keep their configs and data in {@code dir}. */
    static ClusterNodes start(Path dir) throws IOException {
        return new ClusterNodes(dir, RedisServer.start(dir.resolve("redis")));
    }

    RedisServer redis() {
        return redis;
    }

    /** Stops Redis with SIGTERM (it writes its AOF out); {@link #restartRedis} starts it again on the same port. */
    void stopRedis() {
        redis.stop();
    }

    void restartRedis() throws IOException {
        redis = RedisServer.start(dir.resolve("redis"), redis.port());
    }

    /**
     * Writes {@code id.yaml}: {@code lines}, then {@code cluster:} with this Redis, {@code node_id: id} and
     * {@code clusterLines} (each indented by the caller).
     */
    Path config(String id, List<String> lines, String... clusterLines) throws IOException {
        List<String> all = new ArrayList<>(lines);
        all.add("cluster:");
        all.add("  redis: " + redis.uri(0));
        all.add("  node_id: " + id);
        all.addAll(List.of(clusterLines));
        all.add("");
        Path config = dir.resolve(id + ".yaml");
        Files.writeString(config, String.join("\n", all));
        return config;
    }

    /** Starts a node from {@code launch} (e.g. {@link #CLASS_PATH} or {@code -jar}) on {@code port} (0: any). */
    ChildServer node(String id, Path config, List<String> launch, int port) throws IOException {
        List<String> command = new ArrayList<>(List.of(ChildServer.java(), "-Xmx256m"));
        command.addAll(launch);
        command.addAll(List.of("--config", config.toString(), "--port", Integer.toString(port), "--media-port", "0",
                "--data-dir", dir.resolve(id).toString()));
        return closeLater(ChildServer.start(command));
    }

    /** Closes {@code c} on {@link #close()}, before Redis, in the order handed in. */
    <T extends AutoCloseable> T closeLater(T c) {
        closeables.add(c);
        return c;
    }

    @Override
    public void close() {
        List<AutoCloseable> all = new ArrayList<>(closeables);
        all.add(redis);
        for (AutoCloseable c : all) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // keep closing the others
            }
        }
    }
}
