/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.whip;

import java.util.Locale;
import java.util.Objects;

/**
 * Names one published stream: the media one user sends in one session (a call) from one {@link Source} (its camera
 * and microphone, or its screen). A session's streams, and every resource that publishes or plays them, belong
 * together: the engine keeps them on one media loop, and each stream has its own publisher (a screen share is a WHIP
 * resource of its own: RFC 9725 allows one track per kind and no renegotiation).
 *
 * <p>The customer-service plugin maps the WHIP/WHEP path {@code customer-service/{session_id}/{user_id}[/screen]} to
 * a key once, where the request arrives; nothing downstream parses paths.
 *
 * @param sessionId the session (call) the stream belongs to
 * @param userId    the user who publishes it
 * @param source    what the user publishes on it
 */
public record StreamKey(String sessionId, String userId, Source source) {

    /** What a stream carries: a user may publish one stream of each source in a session. */
    public enum Source {
        /** The camera and microphone: the call itself. */
        CAMERA,
        /** A screen share ({@code getDisplayMedia}). */
        SCREEN,
        /** A supervisor's whisper: audio for the call's agent only, published by a supervisor who monitors it. */
        WHISPER;

        /** The lower-case name ({@code camera}, {@code screen}, {@code whisper}), as paths and file names have it. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public StreamKey {
        check("sessionId", sessionId);
        check("userId", userId);
        Objects.requireNonNull(source, "source");
    }

    /** The user's {@link Source#CAMERA} stream. */
    public StreamKey(String sessionId, String userId) {
        this(sessionId, userId, Source.CAMERA);
    }

    /** The same user's stream of {@code other} source. */
    public StreamKey withSource(Source other) {
        return new StreamKey(sessionId, userId, other);
    }

    private static void check(String what, String value) {
        Objects.requireNonNull(value, what);
        if (value.isEmpty() || value.indexOf('/') >= 0) {
            throw new IllegalArgumentException(what + " must be non-empty and contain no '/', was '" + value + "'");
        }
    }

    /** {@code sessionId/userId}, and {@code /screen} or {@code /whisper} for those sources, for logs. */
    @Override
    public String toString() {
        return sessionId + "/" + userId + (source == Source.CAMERA ? "" : "/" + source.wireName());
    }
}
