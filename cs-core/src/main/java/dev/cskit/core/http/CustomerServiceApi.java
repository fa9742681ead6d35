/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.http;

import dev.cskit.api.Ids;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.http.HttpHandler;
import dev.cskit.api.http.HttpRequest;
import dev.cskit.api.http.HttpResponse;
import dev.cskit.core.auth.AdminGuard;
import dev.cskit.core.auth.PasswordWork;
import dev.cskit.core.session.SessionException;
import dev.cskit.core.web.ApiException;
import dev.cskit.core.web.Envelope;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * The customer-service HTTP API under {@value #PREFIX} (PROTOCOL.md, "HTTP API"), one resource a class, each
 * mounting itself: {@link SessionsResource} (sessions, links, QR codes, ratings, stats), {@link AgentsResource}
 * (agents and login), {@link AgentAccountsResource} (agents managed at runtime), {@link QueueResource},
 * {@link RoomsResource} and {@link RecordingsResource}. Here: what they share, the access rules, the id rule of
 * path parameters and the mapping of errors to envelopes. Every answer is an {@link Envelope}; every error leaves
 * stored state unchanged.
 *
 * <p>Access: {@code POST /agents/login} and {@code POST /sessions/{id}/rating} (customer link token) are
 * public; {@code GET /sessions/{id}} takes an admin or a party token of that session; {@code GET /agents/{id}}
 * and {@code POST /agents/{id}/status} the agent's own login token or an admin; everything else (the agents API
 * {@code POST /agents}, {@code PATCH} and {@code DELETE /agents/{id}} included) is admin-only ({@link AdminGuard}).
 * Path ids must meet {@link Ids} ({@link #pathId}): a malformed one gets 400 before anything is looked up.
 *
 * <p><b>Threading:</b> handlers are thread-safe and may block briefly (journal fsync). Password work (bcrypt)
 * never runs on the caller's thread: those routes answer later ({@link HttpHandler#handleAsync}).
 */
public final class CustomerServiceApi {

    /** Where every route of the API is mounted; unmount with {@code routes.removeAll(PREFIX)}. */
    public static final String PREFIX = "/customer-service";
    /** How long an agent login token lasts. */
    public static final Duration AGENT_LOGIN_TTL = Duration.ofHours(12);

    private CustomerServiceApi() {
    }

    /** A route that may answer later, on another thread. */
    @FunctionalInterface
    interface AsyncRoute {
        CompletionStage<HttpResponse> handle(HttpRequest request) throws Exception;
    }

    /** A handler for admins only: others get the guard's 401/403 envelope. */
    static HttpHandler admin(AdminGuard admin, HttpHandler h) {
        return open(r -> {
            Optional<AdminGuard.Refusal> no = admin.check(r);
            if (no.isPresent()) {
                return Envelope.error(no.get().status(), no.get().message());
            }
            return h.handle(r);
        });
    }

    /** A handler whose typed errors become error envelopes: {@link ApiException} and {@link SessionException}. */
    static HttpHandler open(HttpHandler h) {
        return r -> {
            try {
                return h.handle(r);
            } catch (ApiException | SessionException | PasswordWork.Busy e) {
                return typed(e);
            }
        };
    }

    /** {@link #open} for a route that answers later. */
    static HttpHandler openAsync(AsyncRoute route) {
        return new AsyncHandler(route);
    }

    /** {@link #admin} for a route that answers later. */
    static HttpHandler adminAsync(AdminGuard admin, AsyncRoute route) {
        return new AsyncHandler(r -> {
            Optional<AdminGuard.Refusal> no = admin.check(r);
            if (no.isPresent()) {
                return CompletableFuture.completedFuture(Envelope.error(no.get().status(), no.get().message()));
            }
            return route.handle(r);
        });
    }

    /** The error envelope of a typed refusal, or {@code null} for anything else. */
    private static @Nullable HttpResponse typed(Throwable t) {
        if (t instanceof ApiException e) {
            return Envelope.error(e.status(), e.getMessage());
        }
        if (t instanceof SessionException e) {
            return Envelope.error(e.kind().httpStatus(), e.getMessage());
        }
        if (t instanceof PasswordWork.Busy e) {
            return Envelope.error(503, e.getMessage()).withHeader("Retry-After", "1");
        }
        return null;
    }

    /** A route answering later; for hosts that only call {@link #handle}, waits for it. */
    private record AsyncHandler(AsyncRoute route) implements HttpHandler {
        @Override
        public HttpResponse handle(HttpRequest request) throws Exception {
            try {
                return handleAsync(request).toCompletableFuture().get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception c ? c : e;
            }
        }

        @Override
        public CompletionStage<HttpResponse> handleAsync(HttpRequest request) {
            CompletionStage<HttpResponse> stage;
            try {
                stage = route.handle(request);
            } catch (Exception e) {
                stage = CompletableFuture.failedFuture(e);
            }
            return stage.handle((r, t) -> {
                if (t == null) {
                    return r;
                }
                Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
                HttpResponse refusal = typed(cause);
                if (refusal == null) {
                    throw cause instanceof CompletionException ce ? ce : new CompletionException(cause);
                }
                return refusal;
            });
        }
    }

    /**
     * A path parameter that is an id ({@link Ids}).
     *
     * @param what what the id is, for the message, e.g. {@code session id}
     * @throws ApiException 400 if it is not a well-formed id
     */
    static String pathId(HttpRequest r, String param, String what) {
        String v = r.pathParam(param);
        if (!Ids.isValid(v)) {
            throw new ApiException(400, Ids.problem(what, v));
        }
        return v;
    }

    /**
     * The client's address, for per-address login throttling. The one place that reads it: today the peer of the
     * connection; a host that knows the client behind a trusted proxy will hand it in instead.
     */
    static String clientAddress(HttpRequest r) {
        InetAddress a = r.remoteAddress().getAddress();
        return a != null ? a.getHostAddress() : r.remoteAddress().getHostString();
    }
}
