/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.sdp;

import java.util.ArrayList;
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
        List<PayloadFormat> all = videoAll(m, preference, null, null);
        return all.isEmpty() ? null : all.get(0);
    }

    /**
     * One offered format per usable video codec, in {@code preference} order, with {@code preferredName} (if offered)
     * first. For H.264 the format whose profile-level-id equals {@code preferredFmtp}'s wins, then one of the same
     * profile (RFC 6184 §8.1: profile_idc and profile-iop, the first two bytes), then the baseline ranks.
     */
    static List<PayloadFormat> videoAll(MediaDescription m, List<String> preference, String preferredName,
                                        String preferredFmtp) {
        List<String> order = new ArrayList<>();
        if (preferredName != null) {
            for (String n : preference) {
                if (n.equalsIgnoreCase(preferredName)) {
                    order.add(n);
                }
            }
        }
        for (String n : preference) {
            if (!order.contains(n)) {
                order.add(n);
            }
        }
        String wantedProfile = preferredFmtp == null || preferredName == null || !preferredName.equalsIgnoreCase("H264")
                ? "" : profileLevelId(preferredFmtp);
        List<PayloadFormat> out = new ArrayList<>();
        for (String name : order) {
            PayloadFormat best = null;
            int bestRank = Integer.MAX_VALUE;
            for (PayloadFormat f : m.payloadFormats()) {
                if (!f.is(name) || f.clockRate() != 90000) {
                    continue;
                }
                int rank = name.equalsIgnoreCase("H264") ? h264Rank(f, wantedProfile) : 0;
                if (rank < bestRank) {
                    best = f;
                    bestRank = rank;
                }
            }
            if (best != null && bestRank != Integer.MAX_VALUE) {
                out.add(best);
            }
        }
        return out;
    }

    /** The profile-level-id of an fmtp line, lower case, or "" (RFC 6184 §8.1). */
    static String profileLevelId(String fmtp) {
        for (String p : fmtp.split(";")) {
            String kv = p.trim().toLowerCase(Locale.ROOT);
            if (kv.startsWith("profile-level-id=")) {
                return kv.substring("profile-level-id=".length()).trim();
            }
        }
        return "";
    }

    private static int h264Rank(PayloadFormat f, String wantedProfile) {
        int base = h264Rank(f);
        if (base == Integer.MAX_VALUE || wantedProfile.length() != 6) {
            return base;
        }
        String profile = f.fmtpParameter("profile-level-id").toLowerCase(Locale.ROOT);
        if (profile.equals(wantedProfile)) {
            return -2;
        }
        return profile.length() == 6 && profile.regionMatches(0, wantedProfile, 0, 4) ? -1 : base;
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
