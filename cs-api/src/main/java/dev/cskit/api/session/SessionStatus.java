/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.session;

/** Where a session is in its life. It moves only {@code WAITING → ACTIVE → ENDED} (or straight to ENDED). */
public enum SessionStatus {
    /** Created, waiting for the agent to accept the call. */
    WAITING("Waiting"),
    /** The agent accepted; the call is in progress. */
    ACTIVE("Active"),
    /** The call ended or the session was closed; final. */
    ENDED("Ended");

    private final String wireName;

    SessionStatus(String wireName) {
        this.wireName = wireName;
    }

    /** The name on the wire: {@code Waiting}, {@code Active} or {@code Ended}. */
    public String wireName() {
        return wireName;
    }

    /** Parses a wire name, ignoring case. */
    public static SessionStatus fromWire(String name) {
        for (SessionStatus s : values()) {
            if (s.wireName.equalsIgnoreCase(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown session status '" + name + "': use Waiting, Active or Ended");
    }
}
