/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.store.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The set-up the Redis ITs share: a real {@code redis-server} per test ({@link RedisServer}, its files in a temporary
 * directory), what the test opened closed after it in the order it was opened, then Redis; and a wait on a condition.
 */
abstract class AgainstRedis {

    @TempDir
    Path dir;

    /** This test's server; a test that restarts Redis assigns the new one here. */
    RedisServer redis;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeEach
    void startRedis() throws IOException {
        redis = RedisServer.start(dir.resolve("redis"));
    }

    @AfterEach
    void stopAll() throws Exception {
        try {
            for (AutoCloseable c : opened) {
                c.close();
            }
        } finally {
            redis.close();
        }
    }

    /** Closes {@code c} after the test, before Redis. */
    <T extends AutoCloseable> T closeLater(T c) {
        opened.add(c);
        return c;
    }

    /** Waits until {@code condition} holds; fails naming {@code what} after 30 s. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            RedisServer.pause();
        }
    }

    /** A plain connection to this test's Redis, as another process would have, to change keys behind a node's back. */
    RawRedis raw() {
        return new RawRedis(RedisClient.create(RedisURI.create(redis.uri(0))));
    }

    /** {@link #sync} commands on their own client; {@link #close} shuts it down. */
    static final class RawRedis implements AutoCloseable {
        private final RedisClient client;
        final RedisCommands<String, String> sync;

        private RawRedis(RedisClient client) {
            this.client = client;
            this.sync = client.connect().sync();
        }

        @Override
        public void close() {
            client.shutdown();
        }
    }
}
