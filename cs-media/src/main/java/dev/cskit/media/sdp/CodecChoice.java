/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.sdp;

import java.util.List;
import java.util.Locale;

/** Which of an m-section's offered payload formats the answer keeps. Stateless. */
final class CodecChoice {

    private CodecChoice() {
    }

    /** Opus at 48 kHz stereo (RFC 7587 §7), the one audio codec WebRTC peers must support; null if not offered. */
    static PayloadFormat audio(MediaDescription m) {
        for (PayloadFormat f : m.payloadFormats()) {
            if (f.is("opus") && f.clockRate() == 48000 && f.channels() == 2) {
                return f;
            }
        }
        return null;
    }

    /** The offered format of the first codec in {@code preference} that is usable; null if none is. */
    static PayloadFormat video(MediaDescription m, List<String> preference) {
        for (String name : preference) {
            PayloadFormat best = null;
            int bestRank = Integer.MAX_VALUE;
            for (PayloadFormat f : m.payloadFormats()) {
                if (!f.is(name) || f.clockRate() != 90000) {
                    continue;
                }
                int rank = name.equalsIgnoreCase("H264") ? h264Rank(f) : 0;
                if (rank < bestRank) {
                    best = f;
                    bestRank = rank;
                }
            }
            if (best != null && bestRank != Integer.MAX_VALUE) {
                return best;
            }
        }
        return null;
    }

    // Lower is better; MAX_VALUE means unusable (RFC 6184 §8.1: packetization-mode must be 1 here).
    private static int h264Rank(PayloadFormat f) {
        if (!f.fmtpParameter("packetization-mode").equals("1")) {
            return Integer.MAX_VALUE;
        }
        String profile = f.fmtpParameter("profile-level-id").toLowerCase(Locale.ROOT);
        if (profile.equals("42e01f")) {
            return 0;
        }
        if (profile.startsWith("42e0") || profile.startsWith("4200")) {
            return 1;
        }
        return 2;
    }
}
