/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.http;

import dev.cskit.api.http.HttpHandler;
import dev.cskit.api.http.HttpRequest;
import dev.cskit.api.http.HttpResponse;
import dev.cskit.api.http.HttpRoutes;
import dev.cskit.api.http.RouteMatcher;
import dev.cskit.core.web.Envelope;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A ready {@link HttpRoutes} for any host: mount routes, then {@link #dispatch} each request. Matching follows
 * the one rule of {@link HttpRoutes} (the most specific pattern wins), through the shared {@link RouteMatcher}.
 *
 * <p>{@link #dispatch} returns empty when no pattern matches (the request is the host's); a 405 envelope
 * with {@code Allow} when a pattern matches under other methods; a 500 envelope if the handler throws.
 * {@link #handle} is the same with a 404 envelope for no match.
 *
 * <p><b>Threading:</b> thread-safe; mounting is copy-on-write, dispatch takes no lock. Handlers run on the
 * calling thread, which waits for a handler that answers later ({@link HttpHandler#handleAsync}).
 */
public final class RouteTable implements HttpRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(RouteTable.class);

    private final RouteMatcher routes = new RouteMatcher();

    @Override
    public void add(String method, String pattern, HttpHandler handler) {
        routes.add(method, pattern, handler);
    }

    @Override
    public void removeAll(String prefix) {
        routes.removeAll(prefix);
    }

    /** How many routes are mounted. */
    public int size() {
        return routes.size();
    }

    /** The response of the matching route; empty if no pattern matches the path. */
    public Optional<HttpResponse> dispatch(HttpRequest request) {
        RouteMatcher.Match m = routes.match(request.method(), request.path());
        if (m.found()) {
            try {
                HttpResponse r = m.handler().handleAsync(request.withPathParams(m.params())).toCompletableFuture()
                        .join();
                if (r == null) {
                    throw new NullPointerException("route handler returned null");
                }
                return Optional.of(r);
            } catch (RuntimeException e) {
                LOG.error("{} {} failed", request.method(), request.path(), e);
                return Optional.of(Envelope.error(500, "internal error"));
            }
        }
        if (!m.methodNotAllowed()) {
            return Optional.empty();
        }
        String allow = String.join(", ", m.allowed());
        return Optional.of(Envelope.error(405, request.method() + " is not allowed on " + request.path()
                + "; use " + allow).withHeader("Allow", allow));
    }

    /** Like {@link #dispatch}, with a 404 envelope when nothing matches. */
    public HttpResponse handle(HttpRequest request) {
        return dispatch(request).orElseGet(() -> Envelope.error(404, "no route for " + request.method() + " "
                + request.path()));
    }
}
