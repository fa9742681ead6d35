/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.whip;

/** A WHIP/WHEP request the engine cannot serve; {@link #kind()} says which HTTP status fits. */
public final class MediaException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What went wrong, for mapping to an HTTP status. */
    public enum Kind {
        /** The offer is unusable (400). */
        BAD_OFFER,
        /** No such resource (404). */
        NOT_FOUND,
        /** The party has its limit of live resources in the session (429). */
        PARTY_LIMIT,
        /** Too many peer connections, or the media memory budget is full (503, try again later). */
        LIMIT
    }

    private final Kind kind;

    public MediaException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public MediaException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
