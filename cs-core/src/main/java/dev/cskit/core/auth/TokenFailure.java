/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.auth;

/** Why a token was not accepted. */
public enum TokenFailure {
    /** Not of the form {@code base64url(payload).base64url(mac)}, or an unreadable payload. */
    MALFORMED,
    /** The MAC does not match: tampered, or made with another key. */
    BAD_SIGNATURE,
    /** Well-formed and signed, but past its expiry. */
    EXPIRED,
    /** An agent login token whose agent is gone, disabled, or signed in again since (a password reset). */
    REVOKED
}
