/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty.internal;

import dev.cskit.api.Nullable;
import dev.cskit.api.http.HttpHandler;
import dev.cskit.api.http.HttpRoutes;
import dev.cskit.api.http.PathPattern;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The plugin routes of a host. When several patterns match a path, the most specific wins: a pattern
 * without a {@code {name...}} tail before one with it, then more literal segments, then the one added
 * first (so {@code /sessions/stats} beats {@code /sessions/{id}} whatever the order they were added in).
 *
 * <p>Thread-safe: lookups read an immutable snapshot; {@link #add} and {@link #removeAll} replace it.
 * Unsupported API.
 */
public final class RouteTable implements HttpRoutes {

    /** A mounted route. */
    record Route(String method, String pattern, PathPattern matcher, HttpHandler handler, int literals,
                 boolean tail, long order) {
    }

    /** The outcome of a lookup: a handler with its path parameters, or the methods the path allows. */
    public record Match(@Nullable HttpHandler handler, Map<String, String> params, Set<String> allowed) {
        public boolean found() {
            return handler != null;
        }

        /** Whether the path matched a route of another method (answer 405). */
        public boolean methodNotAllowed() {
            return handler == null && !allowed.isEmpty();
        }
    }

    private static final Comparator<Route> SPECIFICITY = Comparator
            .comparing(Route::tail)
            .thenComparing(Comparator.comparingInt(Route::literals).reversed())
            .thenComparingLong(Route::order);

    private volatile List<Route> routes = List.of();
    private long nextOrder;

    @Override
    public synchronized void add(String method, String pattern, HttpHandler handler) {
        Objects.requireNonNull(handler, "handler");
        String m = Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT);
        PathPattern matcher = PathPattern.parse(pattern);
        for (Route r : routes) {
            if (r.method.equals(m) && r.pattern.equals(pattern)) {
                throw new IllegalStateException("route " + m + " " + pattern + " is mounted already");
            }
        }
        int literals = 0;
        for (String seg : pattern.split("/")) {
            if (!seg.isEmpty() && !seg.startsWith("{")) {
                literals++;
            }
        }
        List<Route> next = new ArrayList<>(routes);
        next.add(new Route(m, pattern, matcher, handler, literals, pattern.endsWith("...}"), nextOrder++));
        next.sort(SPECIFICITY);
        routes = List.copyOf(next);
    }

    @Override
    public synchronized void removeAll(String prefix) {
        List<Route> next = new ArrayList<>(routes);
        next.removeIf(r -> r.pattern.startsWith(prefix));
        routes = List.copyOf(next);
    }

    /** Finds the route for a request; {@code method} is upper case, {@code path} decoded. */
    public Match match(String method, String path) {
        Set<String> allowed = new TreeSet<>();
        for (Route r : routes) {
            Optional<Map<String, String>> params = r.matcher.match(path);
            if (params.isEmpty()) {
                continue;
            }
            if (r.method.equals(method)) {
                return new Match(r.handler, params.get(), Set.of());
            }
            allowed.add(r.method);
        }
        return new Match(null, Map.of(), allowed);
    }

    /** How many routes are mounted. */
    public int size() {
        return routes.size();
    }
}
