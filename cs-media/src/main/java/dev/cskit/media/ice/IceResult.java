/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.ice;

/**
 * What {@link IceLiteAgent#handle} did with one datagram. Each value has a counter in the agent.
 * {@link #respondedWithResponse()} tells the caller to send {@link IceLiteAgent#responseLength()}
 * bytes of the output buffer back to the sender.
 */
public enum IceResult {
    /** A valid Binding request: a success response with XOR-MAPPED-ADDRESS was written. */
    SUCCESS(true),
    /**
     * A Binding request without USERNAME or MESSAGE-INTEGRITY: a 400 Bad Request was written
     * (RFC 8489 §9.1.3).
     */
    BAD_REQUEST(true),
    /**
     * A Binding request whose USERNAME is not "localUfrag:remoteUfrag" or whose MESSAGE-INTEGRITY
     * fails with the local pwd: a 401 Unauthorized without integrity was written (RFC 8489 §9.1.3).
     */
    UNAUTHORIZED(true),
    /** A valid request with an unknown comprehension-required attribute: 420 written (RFC 8489 §6.3.1.1). */
    UNKNOWN_ATTRIBUTE(true),
    /**
     * A valid request carrying ICE-CONTROLLED: the peer is controlled too and a lite agent cannot take the
     * controlling role, so 487 Role Conflict was written (RFC 8445 §7.3.1.1).
     */
    ROLE_CONFLICT(true),
    /** Not a well-formed STUN message; dropped silently. */
    DROPPED_MALFORMED(false),
    /** A STUN message without FINGERPRINT or with a wrong one; dropped (RFC 8445 §7.3: ICE requires it). */
    DROPPED_BAD_FINGERPRINT(false),
    /** A well-formed STUN message that is not a Binding request or indication (e.g. a response); dropped. */
    DROPPED_NOT_REQUEST(false),
    /** A Binding indication (keepalive, RFC 8445 §11); nothing to send, consent not refreshed. */
    INDICATION(false),
    /** The output buffer is smaller than {@link IceLiteAgent#MIN_OUTPUT}; dropped (caller error, counted). */
    DROPPED_NO_ROOM(false);

    private final boolean respond;

    IceResult(boolean respond) {
        this.respond = respond;
    }

    /** Whether a response was written into the caller's buffer. */
    public boolean respondedWithResponse() {
        return respond;
    }
}
