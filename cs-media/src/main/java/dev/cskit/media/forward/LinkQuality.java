/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.forward;

/**
 * What is known of one media source on one leg of a call: a publisher's source as the server received it, or an
 * outbound stream as its player's receiver reports describe it (RFC 3550 §6.4.1). Immutable.
 *
 * @param kind         audio or video
 * @param expected     packets expected so far (RFC 3550 Appendix A.3)
 * @param lost         of those, packets lost (never below 0)
 * @param jitterMs     interarrival jitter in milliseconds: the server's current estimate (publisher), or the mean of
 *                     what the player reported (player)
 * @param rttMs        the player's round trip from its reports' LSR and DLSR, averaged, or {@link Double#NaN} if
 *                     unknown (always for a publisher: the server sends it no sender reports)
 * @param fromReceiver true for figures the player reported, false for the server's own receive statistics
 */
public record LinkQuality(MediaKind kind, long expected, long lost, double jitterMs, double rttMs,
                          boolean fromReceiver) {

    /** Lost packets as a share of those expected, 0 to 1; 0 when nothing was expected. */
    public double lossRatio() {
        return expected <= 0 ? 0 : Math.min(1.0, (double) lost / expected);
    }

    /** Whether the round trip is known. */
    public boolean hasRtt() {
        return !Double.isNaN(rttMs);
    }
}
