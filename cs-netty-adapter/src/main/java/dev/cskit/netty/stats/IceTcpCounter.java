/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty.stats;

/**
 * What the ICE-TCP media listeners count ({@link IceTcpCounters}): connections accepted and why they were closed,
 * and frames dropped, each without a log line. The wire names are stable for metrics.
 */
public enum IceTcpCounter {
    /** A connection accepted. */
    ACCEPTED("accepted", Kind.ACCEPTED),
    /** Closed at once: the listener already had its limit of connections without a passed STUN check. */
    REFUSED("refused", Kind.CLOSED),
    /** Closed: an RFC 4571 length prefix larger than the largest frame accepted. */
    FRAME_TOO_LARGE("frame_too_large", Kind.CLOSED),
    /** Closed: a frame other than STUN before any STUN check on the connection passed. */
    NOT_STUN("not_stun", Kind.CLOSED),
    /** Closed: no STUN check passed within the check timeout (a silent or unknown client). */
    CHECK_TIMEOUT("check_timeout", Kind.CLOSED),
    /** Closed: nothing received for the consent timeout. */
    IDLE("idle", Kind.CLOSED),
    /** Closed by the client (or reset), or by the server as it stopped. */
    CLOSED("closed", Kind.CLOSED),
    /** A frame of length 0, dropped (RFC 4571 frames carry one packet each). */
    EMPTY_FRAME("empty_frame", Kind.FRAME_DROPPED),
    /** A packet to send dropped: no such connection, or it is not writable (the client does not read). */
    SEND_DROPPED("send_dropped", Kind.FRAME_DROPPED);

    /** What a counter counts. */
    public enum Kind {
        ACCEPTED, CLOSED, FRAME_DROPPED
    }

    private final String wireName;
    private final Kind kind;

    IceTcpCounter(String wireName, Kind kind) {
        this.wireName = wireName;
        this.kind = kind;
    }

    /** A stable snake_case name, e.g. {@code check_timeout}, for metrics. */
    public String wireName() {
        return wireName;
    }

    /** Whether this counts connections accepted, connections closed (for this reason) or frames dropped. */
    public Kind kind() {
        return kind;
    }
}
