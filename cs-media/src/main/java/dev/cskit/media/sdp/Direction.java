/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.sdp;

import java.util.Locale;
import java.util.Optional;

/** Media direction attributes (RFC 8866 §6.7). */
public enum Direction {
    /** a=sendrecv (the default). */
    SENDRECV,
    /** a=sendonly. */
    SENDONLY,
    /** a=recvonly. */
    RECVONLY,
    /** a=inactive. */
    INACTIVE;

    /** The attribute name, e.g. {@code "sendonly"}. */
    public String attribute() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this side sends. */
    public boolean sends() {
        return this == SENDRECV || this == SENDONLY;
    }

    /** Whether this side receives. */
    public boolean receives() {
        return this == SENDRECV || this == RECVONLY;
    }

    /** The direction for an attribute name, if it is one. */
    public static Optional<Direction> fromAttribute(String name) {
        switch (name) {
            case "sendrecv":
                return Optional.of(SENDRECV);
            case "sendonly":
                return Optional.of(SENDONLY);
            case "recvonly":
                return Optional.of(RECVONLY);
            case "inactive":
                return Optional.of(INACTIVE);
            default:
                return Optional.empty();
        }
    }
}
