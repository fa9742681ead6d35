/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.whip;

import java.util.Objects;

/**
 * Names one published stream: the media one user sends in one session (a call). A session's streams, and
 * every resource that publishes or plays them, belong together: the engine keeps them on one media loop.
 *
 * <p>The customer-service plugin maps the WHIP/WHEP path {@code customer-service/{session_id}/{user_id}} to a
 * key once, where the request arrives; nothing downstream parses paths.
 *
 * @param sessionId the session (call) the stream belongs to
 * @param userId    the user who publishes it
 */
public record StreamKey(String sessionId, String userId) {

    public StreamKey {
        check("sessionId", sessionId);
        check("userId", userId);
    }

    private static void check(String what, String value) {
        Objects.requireNonNull(value, what);
        if (value.isEmpty() || value.indexOf('/') >= 0) {
            throw new IllegalArgumentException(what + " must be non-empty and contain no '/', was '" + value + "'");
        }
    }

    /** {@code sessionId/userId}, for logs. */
    @Override
    public String toString() {
        return sessionId + "/" + userId;
    }
}
