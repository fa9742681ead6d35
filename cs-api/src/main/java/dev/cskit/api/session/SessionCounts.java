/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.session;

import dev.cskit.api.annotation.Nullable;

/**
 * The sums behind {@link Stats}, and the one rule by which a session change moves them. Whoever keeps session
 * counters (the session manager in memory, a {@link SharedSessionStore} next to the sessions) adds up
 * {@link #change}s, so reading {@link Stats} stays O(1). Immutable.
 *
 * @param total         sessions created
 * @param waiting       sessions {@code Waiting}
 * @param active        sessions {@code Active}
 * @param ended         sessions {@code Ended}
 * @param rated         sessions rated
 * @param starSum       the stars of every rating
 * @param durationCount ended sessions that had been accepted
 * @param durationSum   their call seconds
 */
public record SessionCounts(long total, long waiting, long active, long ended, long rated, long starSum,
                            long durationCount, long durationSum) {

    /** No session at all. */
    public static final SessionCounts ZERO = new SessionCounts(0, 0, 0, 0, 0, 0, 0, 0);

    /**
     * What one change adds to the counts.
     *
     * @param before the previous version, or {@code null} for a new (or restored) session
     */
    public static SessionCounts change(@Nullable Session before, Session after) {
        long total = before == null ? 1 : 0;
        long waiting = count(after, SessionStatus.WAITING) - count(before, SessionStatus.WAITING);
        long active = count(after, SessionStatus.ACTIVE) - count(before, SessionStatus.ACTIVE);
        long ended = count(after, SessionStatus.ENDED) - count(before, SessionStatus.ENDED);
        long rated = 0;
        long starSum = 0;
        if ((before == null || before.rating() == null) && after.rating() != null) {
            rated = 1;
            starSum = after.rating().stars();
        }
        long durationCount = 0;
        long durationSum = 0;
        if ((before == null || !before.isEnded()) && after.isEnded() && after.acceptedAt() != null) {
            durationCount = 1;
            durationSum = after.durationSeconds(after.endedAt());
        }
        return new SessionCounts(total, waiting, active, ended, rated, starSum, durationCount, durationSum);
    }

    private static long count(@Nullable Session s, SessionStatus status) {
        return s != null && s.status() == status ? 1 : 0;
    }

    /** These counts with {@code other} added. */
    public SessionCounts plus(SessionCounts other) {
        return new SessionCounts(total + other.total, waiting + other.waiting, active + other.active,
                ended + other.ended, rated + other.rated, starSum + other.starSum,
                durationCount + other.durationCount, durationSum + other.durationSum);
    }

    /** The counts and averages {@code /stats} shows. */
    public Stats stats() {
        return new Stats(total, active, waiting, ended, rated,
                rated == 0 ? 0 : (double) starSum / rated,
                durationCount == 0 ? 0 : (double) durationSum / durationCount);
    }
}
