/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.ice;

/**
 * Priorities of the server's host candidates (RFC 8445 §5.1.2.1:
 * {@code 2^24 * type preference + 2^8 * local preference + (256 - component ID)}), component 1 (RTP and RTCP
 * muxed). Every UDP candidate outranks every TCP one, so a client uses ICE-TCP only where UDP does not get through.
 * Stateless.
 */
public final class CandidatePriority {

    /** RFC 8445 §5.1.2.2: the recommended type preference of host candidates. */
    static final int HOST_UDP_TYPE_PREFERENCE = 126;
    /**
     * Host TCP candidates: lower than every UDP host candidate (libwebrtc uses 90 too); still above peer-reflexive
     * (110 is above it, but a lite server has none) and relayed (0) candidates of the client's choosing.
     */
    static final int HOST_TCP_TYPE_PREFERENCE = 90;
    /** RFC 6544 §4.2: direction-pref of passive host candidates (active 6, passive 4, S-O 2). */
    static final int PASSIVE_DIRECTION_PREFERENCE = 4;
    private static final int MAX_INDEX = 8191;

    private CandidatePriority() {
    }

    /**
     * The UDP host candidate at {@code index} in the answer's order (the first gets the highest): type preference
     * 126, local preference 65535, the index taken off the last byte (as the answers always had it).
     */
    public static long hostUdp(int index) {
        checkIndex(index);
        return priority(HOST_UDP_TYPE_PREFERENCE, 65535) - index;
    }

    /**
     * The passive TCP host candidate at {@code index}. RFC 6544 §4.2: local preference =
     * {@code 2^13 * direction-pref + other-pref}, other-pref (0..8191) unique per candidate: {@code 8191 - index}.
     */
    public static long hostTcpPassive(int index) {
        checkIndex(index);
        return priority(HOST_TCP_TYPE_PREFERENCE, (PASSIVE_DIRECTION_PREFERENCE << 13) + (MAX_INDEX - index));
    }

    private static long priority(int typePreference, int localPreference) {
        return ((long) typePreference << 24) + ((long) localPreference << 8) + (256 - 1);
    }

    private static void checkIndex(int index) {
        if (index < 0 || index > MAX_INDEX) {
            throw new IllegalArgumentException("candidate index must be 0.." + MAX_INDEX + ", was " + index);
        }
    }
}
