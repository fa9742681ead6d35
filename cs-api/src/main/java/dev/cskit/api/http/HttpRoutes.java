/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.http;

/**
 * Where a plugin mounts its HTTP routes on the host's HTTP server.
 *
 * <p>Patterns are {@link PathPattern}s such as {@code /customer-service/sessions/{id}}. A request whose
 * path matches a pattern of another method answers {@code 405}; one that matches none is the host's.
 * Thread-safe; routes are normally added during {@code start}.
 */
public interface HttpRoutes {

    /**
     * Mounts a handler.
     *
     * @throws IllegalStateException if the same method and pattern are mounted already
     */
    void add(String method, String pattern, HttpHandler handler);

    /** Unmounts every route whose pattern starts with {@code prefix}; used when a plugin stops. */
    void removeAll(String prefix);
}
