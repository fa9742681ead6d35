/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.http;

/**
 * Where a plugin mounts its HTTP routes on the host's HTTP server.
 *
 * <p>Patterns are {@link PathPattern}s such as {@code /customer-service/sessions/{id}}. <b>Matching rule</b>
 * (every host): when several patterns match a path, the most specific wins, whatever order they were added
 * in: a pattern without a {@code {name...}} tail before one with it, then the one with more literal segments
 * ({@code /sessions/stats} before {@code /sessions/{id}}), then the one added first
 * ({@link PathPattern#MOST_SPECIFIC_FIRST}; {@link RouteMatcher} implements it for hosts). A request whose
 * path matches patterns of other methods only answers {@code 405} with {@code Allow}; one that matches none
 * is the host's.
 *
 * <p><b>Threading:</b> thread-safe; routes are normally added during {@code start}.
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
