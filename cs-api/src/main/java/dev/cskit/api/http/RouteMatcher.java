/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.http;

import dev.cskit.api.annotation.Nullable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The routes a host keeps, matched by the one rule of {@link HttpRoutes}: of the patterns that match a path,
 * the most specific wins ({@link PathPattern#MOST_SPECIFIC_FIRST}; equal ones in the order they were added).
 * Hosts share it so that every host matches the same way; it knows nothing of responses, the host turns a
 * {@link Match} into one.
 *
 * <p><b>Threading:</b> thread-safe. {@link #match} reads an immutable snapshot without locking; {@link #add}
 * and {@link #removeAll} replace it.
 */
public final class RouteMatcher implements HttpRoutes {

    private record Route(String method, PathPattern pattern, HttpHandler handler) {
    }

    /**
     * The outcome of a lookup.
     *
     * @param handler the handler of the matching route, or {@code null} if none matched this method
     * @param params  the path parameters of the matching route (empty without one)
     * @param allowed the methods of the routes whose pattern matched the path, when none matched the method;
     *                sorted
     */
    public record Match(@Nullable HttpHandler handler, Map<String, String> params, Set<String> allowed) {
        public Match {
            params = Map.copyOf(params);
            allowed = Collections.unmodifiableSortedSet(new TreeSet<>(allowed));
        }

        /** Whether a route handles the request. */
        public boolean found() {
            return handler != null;
        }

        /** Whether the path matched routes of other methods only (answer 405 with {@code Allow}). */
        public boolean methodNotAllowed() {
            return handler == null && !allowed.isEmpty();
        }
    }

    private volatile List<Route> routes = List.of();

    @Override
    public synchronized void add(String method, String pattern, HttpHandler handler) {
        Objects.requireNonNull(handler, "handler");
        String m = Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT);
        PathPattern p = PathPattern.parse(pattern);
        for (Route r : routes) {
            if (r.method.equals(m) && r.pattern.equals(p)) {
                throw new IllegalStateException("route " + m + " " + pattern + " is mounted already");
            }
        }
        List<Route> next = new ArrayList<>(routes);
        next.add(new Route(m, p, handler));
        next.sort((a, b) -> PathPattern.MOST_SPECIFIC_FIRST.compare(a.pattern, b.pattern)); // stable: ties keep order
        routes = List.copyOf(next);
    }

    @Override
    public synchronized void removeAll(String prefix) {
        List<Route> next = new ArrayList<>(routes);
        next.removeIf(r -> r.pattern.toString().startsWith(prefix));
        routes = List.copyOf(next);
    }

    /**
     * Finds the route for a request.
     *
     * @param method the request method (any case)
     * @param path   the decoded path without the query string
     */
    public Match match(String method, String path) {
        String m = method.toUpperCase(Locale.ROOT);
        Set<String> allowed = new TreeSet<>();
        for (Route r : routes) {
            Optional<Map<String, String>> params = r.pattern.match(path);
            if (params.isEmpty()) {
                continue;
            }
            if (r.method.equals(m)) {
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
