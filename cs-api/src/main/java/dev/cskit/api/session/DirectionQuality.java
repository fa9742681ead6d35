/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.session;

import dev.cskit.api.annotation.Nullable;

/**
 * The quality of one direction of a call (what one party heard of the other), over the whole call or, live, so far.
 * The figures are of the audio, which the MOS is about.
 *
 * @param lossPercent packets lost on the way, 0 to 100: what the listener's receiver reports say (end to end,
 *                    through the server), or, while the listener has sent none, what the server itself missed of
 *                    the speaker's packets
 * @param jitterMs    interarrival jitter (RFC 3550 §6.4.1), in milliseconds, as reported by the listener (else as
 *                    measured by the server)
 * @param rttMs       the round trip of the whole path, speaker to server to listener and back, in milliseconds
 *                    (RFC 3550 §6.4.1 LSR/DLSR on each leg), or {@code null} if no leg could be measured
 * @param mos         the estimated mean opinion score, 1 to 4.5 (the E-model, see the media path's {@code EModel})
 * @param packets     the packets the figures are of (expected by the listener, or by the server)
 */
public record DirectionQuality(double lossPercent, double jitterMs, @Nullable Double rttMs, double mos, long packets) {

    public DirectionQuality {
        if (!(lossPercent >= 0 && lossPercent <= 100)) {
            throw new IllegalArgumentException("lossPercent must be 0 to 100, was " + lossPercent);
        }
        if (!(jitterMs >= 0) || Double.isInfinite(jitterMs)) {
            throw new IllegalArgumentException("jitterMs must be a finite value of 0 or more, was " + jitterMs);
        }
        if (rttMs != null && (!(rttMs >= 0) || rttMs.isInfinite())) {
            throw new IllegalArgumentException("rttMs must be a finite value of 0 or more, or null, was " + rttMs);
        }
        if (!(mos >= 1 && mos <= 4.5)) {
            throw new IllegalArgumentException("mos must be 1 to 4.5, was " + mos);
        }
        if (packets < 0) {
            throw new IllegalArgumentException("packets must be 0 or more, was " + packets);
        }
    }
}
