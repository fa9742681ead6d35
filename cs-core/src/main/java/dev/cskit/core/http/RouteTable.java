/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.http;

import dev.cskit.api.http.HttpHandler;
import dev.cskit.api.http.HttpRequest;
import dev.cskit.api.http.HttpResponse;
import dev.cskit.api.http.HttpRoutes;
import dev.cskit.api.http.PathPattern;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A ready {@link HttpRoutes} for any host: mount routes, then {@link #dispatch} each request. Routes are
 * tried in the order they were added; the first whose pattern and method match handles it.
 *
 * <p>{@link #dispatch} returns empty when no pattern matches (the request is the host's); a 405 envelope
 * with {@code Allow} when a pattern matches under other methods; a 500 envelope if the handler throws.
 * {@link #handle} is the same with a 404 envelope for no match.
 *
 * <p><b>Threading:</b> thread-safe; mounting is copy-on-write, dispatch takes no lock. Handlers run on the
 * calling thread.
 */
public final class RouteTable implements HttpRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(RouteTable.class);

    private record Route(String method, String pattern, PathPattern path, HttpHandler handler) {
    }

    private final CopyOnWriteArrayList<Route> routes = new CopyOnWriteArrayList<>();

    @Override
    public synchronized void add(String method, String pattern, HttpHandler handler) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(handler, "handler");
        PathPattern p = PathPattern.parse(pattern);
        String m = method.toUpperCase(Locale.ROOT);
        for (Route r : routes) {
            if (r.method.equals(m) && r.pattern.equals(pattern)) {
                throw new IllegalStateException(m + " " + pattern + " is mounted already");
            }
        }
        routes.add(new Route(m, pattern, p, handler));
    }

    @Override
    public synchronized void removeAll(String prefix) {
        routes.removeIf(r -> r.pattern.startsWith(prefix));
    }

    /** How many routes are mounted. */
    public int size() {
        return routes.size();
    }

    /** The response of the matching route; empty if no pattern matches the path. */
    public Optional<HttpResponse> dispatch(HttpRequest request) {
        TreeSet<String> allowed = new TreeSet<>();
        for (Route r : routes) {
            Optional<Map<String, String>> params = r.path.match(request.path());
            if (params.isEmpty()) {
                continue;
            }
            if (!r.method.equals(request.method())) {
                allowed.add(r.method);
                continue;
            }
            try {
                return Optional.of(r.handler.handle(request.withPathParams(params.get())));
            } catch (Exception e) {
                LOG.error("{} {} failed", request.method(), request.path(), e);
                return Optional.of(Envelope.error(500, "internal error"));
            }
        }
        if (allowed.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Envelope.error(405, request.method() + " is not allowed on " + request.path()
                + "; use " + String.join(", ", allowed)).withHeader("Allow", String.join(", ", allowed)));
    }

    /** Like {@link #dispatch}, with a 404 envelope when nothing matches. */
    public HttpResponse handle(HttpRequest request) {
        return dispatch(request).orElseGet(() -> Envelope.error(404, "no route for " + request.method() + " "
                + request.path()));
    }
}
