/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.srtp;

/**
 * Result codes of {@link SrtpContext}'s per-packet methods. A non-negative value is a success and
 * is the new packet length; a negative value is one of the constants below, and the packet bytes
 * and the context state are then unchanged.
 */
public final class SrtpResult {
    /** Too short, not RTP/RTCP version 2, or a header that runs past the packet. */
    public static final int MALFORMED = -1;
    /** The authentication tag does not match. */
    public static final int AUTH_FAILED = -2;
    /** Already received, or older than the replay window (RFC 3711 §3.3.2). */
    public static final int REPLAYED = -3;
    /** A new SSRC arrived but the context already tracks its maximum number of streams. */
    public static final int TOO_MANY_STREAMS = -4;
    /** The caller's array has no room for the tag after the packet. */
    public static final int BUFFER_TOO_SMALL = -5;

    static final int CODES = 6;

    private SrtpResult() {
    }

    /** A readable name for a result code, for logs and metrics. */
    public static String name(int code) {
        if (code >= 0) {
            return "OK";
        }
        return switch (code) {
            case MALFORMED -> "MALFORMED";
            case AUTH_FAILED -> "AUTH_FAILED";
            case REPLAYED -> "REPLAYED";
            case TOO_MANY_STREAMS -> "TOO_MANY_STREAMS";
            case BUFFER_TOO_SMALL -> "BUFFER_TOO_SMALL";
            default -> "UNKNOWN(" + code + ")";
        };
    }
}
