/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.session;

import java.util.Objects;

/**
 * A refused session operation: bad input, an unknown id, a transition the session's state does not allow,
 * a limit, or a caller that may not do it. When this is thrown nothing was changed. The message says the
 * session's state and what to do instead; it is safe to show to a client.
 */
public final class SessionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What kind of refusal; each maps to one HTTP status and one WebSocket error code. */
    public enum Kind {
        /** No session with that id (HTTP 404, {@code not_found}). */
        NOT_FOUND(404, "not_found"),
        /** Bad input: a missing, empty, too long or out-of-range value (HTTP 400, {@code bad_request}). */
        INVALID(400, "bad_request"),
        /** The session's state does not allow it (HTTP 409, {@code conflict}). */
        CONFLICT(409, "conflict"),
        /** {@code max_sessions} reached (HTTP 429, {@code limit}). */
        LIMIT(429, "limit"),
        /** The caller is not the party who may do it (HTTP 403, {@code forbidden}). */
        FORBIDDEN(403, "forbidden"),
        /** The store could not record the change, so it was not made (HTTP 503, {@code unavailable}). */
        UNAVAILABLE(503, "unavailable");

        private final int httpStatus;
        private final String code;

        Kind(int httpStatus, String code) {
            this.httpStatus = httpStatus;
            this.code = code;
        }

        public int httpStatus() {
            return httpStatus;
        }

        /** The {@code code} of a WebSocket {@code error} frame. */
        public String code() {
            return code;
        }
    }

    private final Kind kind;

    public SessionException(Kind kind, String message) {
        super(Objects.requireNonNull(message, "message"));
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public SessionException(Kind kind, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }
}
