/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.store.redis;

import java.time.Duration;

/**
 * How long a node waits, after finding its own heartbeat lapsed, before it judges other nodes gone. A lapse means
 * Redis restarted and the TTLs ran out meanwhile (or this node paused): the other nodes were cut off as it was and
 * reconnect within a backoff, so they get one TTL to renew their heartbeats. Used by the rooms' and the agents'
 * heartbeats alike.
 *
 * <p><b>Threading:</b> called from one heartbeat at a time; the fields are volatile for the thread that runs the next.
 */
final class LapseGrace {

    private final long graceNanos;
    private volatile long quietUntil;
    private volatile boolean quiet;

    LapseGrace(Duration grace) {
        this.graceNanos = grace.toNanos();
    }

    /** This node's own heartbeat was found lapsed: judge nobody for the grace from now. */
    void lapsed() {
        quietUntil = System.nanoTime() + graceNanos;
        quiet = true;
    }

    /** Whether this node may judge other nodes gone now. */
    boolean judging() {
        if (quiet && System.nanoTime() - quietUntil >= 0) {
            quiet = false;
        }
        return !quiet;
    }
}
