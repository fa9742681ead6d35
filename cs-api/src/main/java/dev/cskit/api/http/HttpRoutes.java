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

    /**
     * Mounts a handler that takes its request body as it arrives ({@link StreamingHttpHandler}), for bodies larger
     * than the host reads whole. The host answers {@code 413} when the body is longer than {@code maxBodyBytes}:
     * at once when {@code Content-Length} says so, else when the bytes handed to the sink pass it (the sink gets
     * {@link BodyAbort#TOO_LARGE} instead of the piece that passes it; a sink with a tighter limit of its own thus
     * always answers first). Every other route keeps the host's own body limit. Matching is the same rule as
     * {@link #add}; a method and pattern mounted by either is taken.
     *
     * @throws IllegalStateException         if the same method and pattern are mounted already
     * @throws IllegalArgumentException      if {@code maxBodyBytes} is not positive
     * @throws UnsupportedOperationException if this host cannot stream bodies (the default)
     */
    default void addStreaming(String method, String pattern, long maxBodyBytes, StreamingHttpHandler handler) {
        throw new UnsupportedOperationException("this host reads request bodies whole and cannot mount the "
                + "streaming route " + method + " " + pattern);
    }

    /** Unmounts every route whose pattern starts with {@code prefix}; used when a plugin stops. */
    void removeAll(String prefix);
}
