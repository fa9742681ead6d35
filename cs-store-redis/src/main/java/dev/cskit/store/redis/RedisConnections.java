/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.store.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * How this module's Redis users check their settings and build, and shut down, their Lettuce client: one rule for a
 * key prefix and a command timeout, one client set-up (auto-reconnect with a 50 ms to 2 s backoff, commands bounded
 * by the timeout). Stateless; thread-safe.
 */
final class RedisConnections {

    private RedisConnections() {
    }

    /** {@code prefix} if it is 1 to 64 printable ASCII characters; otherwise an {@link IllegalArgumentException}. */
    static String keyPrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (prefix.isEmpty() || prefix.length() > 64 || prefix.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new IllegalArgumentException("the key prefix must be 1 to 64 printable ASCII characters, was '"
                    + prefix + "'");
        }
        return prefix;
    }

    /** {@code timeout} if it is positive; otherwise an {@link IllegalArgumentException}. */
    static Duration commandTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the command timeout must be positive, was " + timeout);
        }
        return timeout;
    }

    /** Lettuce's address for {@code uri} with this timeout; a bad address names it, its password masked. */
    static RedisURI redisUri(URI uri, Duration timeout) {
        RedisURI redisUri;
        try {
            redisUri = RedisURI.create(uri);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad Redis address " + RedisSessionStore.withoutPassword(uri) + ": "
                    + e.getMessage(), e);
        }
        redisUri.setTimeout(timeout);
        return redisUri;
    }

    /** {@code host:port/db}, for logs and messages (never the password). */
    static String where(RedisURI uri) {
        return uri.getHost() + ":" + uri.getPort() + "/" + uri.getDatabase();
    }

    /** Lettuce's threads for one client: {@code threads} for I/O and as many for computation. */
    static ClientResources resources(int threads) {
        return DefaultClientResources.builder()
                .ioThreadPoolSize(threads)
                .computationThreadPoolSize(threads)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2,
                        TimeUnit.MILLISECONDS))
                .build();
    }

    /** A client that reconnects by itself and fails a command after {@code timeout}, waiting for a reconnect included. */
    static RedisClient client(ClientResources resources, RedisURI uri, Duration timeout) {
        RedisClient client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .build());
        return client;
    }

    /** Shuts the client down at once (at most 2 s), then its threads. */
    static void shutdown(RedisClient client, ClientResources resources) {
        try {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        } finally {
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    /** An exception's message, or its class's name when it has none. */
    static String message(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
