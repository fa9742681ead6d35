/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.http;

import dev.cskit.api.http.HttpHandler;
import dev.cskit.core.auth.AdminGuard;
import dev.cskit.core.session.SessionException;
import dev.cskit.core.web.ApiException;
import dev.cskit.core.web.Envelope;
import java.time.Duration;
import java.util.Optional;

/**
 * The customer-service HTTP API under {@value #PREFIX} (PROTOCOL.md, "HTTP API"), one resource a class, each
 * mounting itself: {@link SessionsResource} (sessions, links, QR codes, ratings, stats), {@link AgentsResource}
 * (agents and login), {@link QueueResource}, {@link RoomsResource} and {@link RecordingsResource}. Here: what
 * they share, the access rules and the mapping of errors to envelopes. Every answer is an {@link Envelope};
 * every error leaves stored state unchanged.
 *
 * <p>Access: {@code POST /agents/login} and {@code POST /sessions/{id}/rating} (customer link token) are
 * public; {@code GET /sessions/{id}} takes an admin or a party token of that session; {@code GET /agents/{id}}
 * and {@code POST /agents/{id}/status} the agent's own login token or an admin; everything else is admin-only
 * ({@link AdminGuard}).
 *
 * <p><b>Threading:</b> handlers are thread-safe and may block briefly (journal fsync, bcrypt).
 */
public final class CustomerServiceApi {

    /** Where every route of the API is mounted; unmount with {@code routes.removeAll(PREFIX)}. */
    public static final String PREFIX = "/customer-service";
    /** How long an agent login token lasts. */
    public static final Duration AGENT_LOGIN_TTL = Duration.ofHours(12);

    private CustomerServiceApi() {
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
            } catch (ApiException e) {
                return Envelope.error(e.status(), e.getMessage());
            } catch (SessionException e) {
                return Envelope.error(e.kind().httpStatus(), e.getMessage());
            }
        };
    }
}
