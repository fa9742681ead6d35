/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.session;

/** Why a session ended. */
public enum EndReason {
    /** The customer sent {@code end_call}. */
    CUSTOMER_HANGUP("customer_hangup"),
    /** The agent sent {@code end_call}. */
    AGENT_HANGUP("agent_hangup"),
    /** An admin closed the session ({@code DELETE /sessions/{id}}). */
    CLOSED("closed"),
    /** The session was not ended within {@code session_timeout}. */
    TIMEOUT("timeout"),
    /** The host shut down while the call was in progress. */
    SHUTDOWN("shutdown"),
    /** Both parties were gone from the call's room for the grace period (2 minutes by default), e.g. after a restart. */
    PEER_GONE("peer_gone");

    private final String wireName;

    EndReason(String wireName) {
        this.wireName = wireName;
    }

    /** The name on the wire, e.g. {@code customer_hangup}. */
    public String wireName() {
        return wireName;
    }

    public static EndReason fromWire(String name) {
        for (EndReason r : values()) {
            if (r.wireName.equals(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown end reason '" + name + "'");
    }
}
