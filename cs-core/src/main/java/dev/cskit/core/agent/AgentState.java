/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.agent;

import java.util.Locale;

/** Where an agent is in the pool: only {@link #READY} agents are offered calls. */
public enum AgentState {
    /** Not checked in (or presence lost: the agent's socket dropped). */
    OFFLINE,
    /** Checked in, not ready for calls. */
    ONLINE,
    /** Checked in and waiting for a call. */
    READY,
    /** A call is being offered; it rings until accepted, rejected or {@code ring_timeout}. */
    RINGING,
    /** In a call. */
    BUSY,
    /** After-call work ({@code wrap_up}); Ready again when it is over. */
    WRAP_UP;

    /** The name on the wire: {@code offline}, {@code online}, {@code ready}, {@code ringing}, {@code busy}, {@code wrap_up}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
