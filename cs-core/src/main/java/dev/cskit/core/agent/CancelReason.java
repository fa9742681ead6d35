/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.agent;

import java.util.Locale;

/** Why a ring was withdrawn: the {@code reason} of {@code incoming_cancelled} and {@code transfer_failed}. */
public enum CancelReason {
    /** The agent set itself not ready (or online). */
    NOT_READY,
    /** The agent checked out. */
    OFFLINE,
    /** The agent's lobby seat was lost (socket closed, heartbeat). */
    PRESENCE_LOST,
    /** Nobody answered within {@code ring_timeout}. */
    TIMEOUT,
    /** The agent passed on it. */
    REJECTED,
    /** The agent accepted, but the session could not be taken any more. */
    UNAVAILABLE,
    /** The session ended. */
    ENDED,
    /** An admin assigned the session by hand. */
    ASSIGNED,
    /** Another agent took the session. */
    TAKEN;

    /** The name on the wire, e.g. {@code presence_lost}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
