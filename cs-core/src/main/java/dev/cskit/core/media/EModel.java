/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.media;

/**
 * An estimated MOS for an Opus call from network figures: the ITU-T G.107 E-model (06/2015), simplified the usual
 * way for VoIP monitoring and set up for Opus. Pure functions; thread-safe.
 *
 * <pre>
 *   R   = R0' − Id(T) − Ie,eff(Ppl)                                         (G.107 §7.1 eq. 7-1, A = 0)
 *   R0' = 93.2            R0 − Is − Id at zero delay with every G.107 default (Table 3)
 *   T   = RTT/2 + 2·jitter + 26.5 ms   one-way mouth-to-ear delay: half the measured round trip, a jitter buffer
 *                         of twice the interarrival jitter, and Opus' algorithmic delay at 20 ms frames
 *                         (20 ms frame + 6.5 ms look-ahead, RFC 6716 §2 and opus-codec.org)
 *   Id  = 0.024·T + 0.11·(T − 177.3)·H(T − 177.3)    the delay impairment, G.107's Idd/Idte/Idle at their
 *                         defaults fitted to two lines (Cole and Rosenbluth, "Voice over IP performance monitoring",
 *                         ACM SIGCOMM CCR 31(2), 2001); H is the unit step
 *   Ie,eff = Ie + (95 − Ie) · Ppl / (Ppl / BurstR + Bpl)                   (G.107 §7.4 eq. 7-29; Ppl in %,
 *                         BurstR = 1: random loss, which is all RTCP receiver reports let us see)
 *   MOS = 1 + 0.035·R + R·(R − 60)·(100 − R)·7·10⁻⁶ for 0 &lt; R &lt; 100; 1 below, 4.5 above   (G.107 Annex B, B-4)
 * </pre>
 *
 * <p><b>Opus' Ie and Bpl.</b> Opus is not in ITU-T G.113 Appendix I, where G.107 takes codec values from. At the
 * bitrates WebRTC uses for speech (about 32 kbit/s, wideband SILK or hybrid, with packet-loss concealment and
 * in-band FEC), its coding impairment on G.107's narrowband scale is taken as {@value #OPUS_IE} (it is rated at or
 * above G.711, whose Ie is 0), and its robustness to loss as Bpl = {@value #OPUS_BPL}: the G.113 Appendix I value of
 * G.711 with packet-loss concealment (Appendix I of G.711), a conservative stand-in for a codec that also carries
 * FEC. Values fitted to Opus per bitrate, on the wideband scale of G.107.1, are in Alahmadi, Počta and Melvin, "An
 * adaptive bitrate switching algorithm for speech applications in context of WebRTC", ACM TOMM 17(4), 2021; they
 * are not used here because the narrowband scale (MOS up to 4.4) is the one support teams and other tools report.
 *
 * <p>This is an estimate for ranking calls, not a listening test: it sees only loss, jitter and round trip.
 */
public final class EModel {

    /** R0 − Is (and Id at zero delay) with every G.107 default: R of a perfect narrowband call. */
    public static final double R_DEFAULT = 93.2;
    /** Opus' equipment impairment factor on the narrowband scale (see the class comment). */
    public static final double OPUS_IE = 0.0;
    /** Opus' packet-loss robustness factor (see the class comment). */
    public static final double OPUS_BPL = 25.1;
    /** Opus' algorithmic delay at 20 ms frames, in milliseconds. */
    public static final double OPUS_CODEC_DELAY_MS = 26.5;

    private EModel() {
    }

    /** One-way mouth-to-ear delay in ms from the round trip and jitter (both in ms), as the class comment says. */
    public static double oneWayDelayMs(double rttMs, double jitterMs) {
        return Math.max(0, rttMs) / 2 + 2 * Math.max(0, jitterMs) + OPUS_CODEC_DELAY_MS;
    }

    /** The delay impairment Id for a one-way delay of {@code delayMs}. */
    public static double delayImpairment(double delayMs) {
        double d = Math.max(0, delayMs);
        return 0.024 * d + (d > 177.3 ? 0.11 * (d - 177.3) : 0);
    }

    /** The effective equipment impairment Ie,eff of Opus at {@code lossPercent} % random packet loss. */
    public static double lossImpairment(double lossPercent) {
        double ppl = Math.max(0, Math.min(100, lossPercent));
        return OPUS_IE + (95 - OPUS_IE) * ppl / (ppl + OPUS_BPL);
    }

    /** The rating factor R for Opus with {@code lossPercent} % loss and a one-way delay of {@code delayMs}. */
    public static double rating(double lossPercent, double delayMs) {
        return R_DEFAULT - delayImpairment(delayMs) - lossImpairment(lossPercent);
    }

    /** G.107 Annex B: MOS from R, 1 to 4.5 (the curve dips below 1 for R under 6.5; clamped). */
    public static double mos(double r) {
        if (r <= 0) {
            return 1;
        }
        if (r >= 100) {
            return 4.5;
        }
        double mos = 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
        return Math.max(1, Math.min(4.5, mos));
    }

    /** The estimated MOS of a call direction: loss in %, round trip and jitter in ms. */
    public static double mos(double lossPercent, double rttMs, double jitterMs) {
        return mos(rating(lossPercent, oneWayDelayMs(rttMs, jitterMs)));
    }
}
