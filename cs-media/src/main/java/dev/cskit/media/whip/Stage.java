/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.whip;

/**
 * The stages a datagram goes through on its media loop, in order; each counts what came in, what went on and what
 * it dropped ({@link MediaEngine#stages()}), as Jitsi's pipeline nodes do. Which reasons a stage drops for is
 * {@link MediaEngine.Counter#stage()}.
 */
public enum Stage {
    /** Classify the datagram (RFC 7983 §7) and find its peer by address, or a STUN check's peer by ICE ufrag. */
    DEMUX,
    /** Authenticate and decrypt SRTP or SRTCP (RFC 3711, RFC 7714). */
    UNPROTECT,
    /** Read the RTP header, find the track by payload type, update the receive statistics. */
    PARSE,
    /** A held call's media goes no further. */
    HOLD_GATE,
    /** One copy per player, rewritten into its negotiation (SSRC, sequence, timestamp, payload type, extensions). */
    FAN_OUT,
    /** Protect each copy with the player's SRTP context and send it. */
    PROTECT,
    /** Hand the plain packet to the packet tap (recording). */
    TAP
}
