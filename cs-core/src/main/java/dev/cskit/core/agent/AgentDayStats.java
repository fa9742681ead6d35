/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.agent;

import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.session.Session;
import dev.cskit.core.session.SessionListener;
import dev.cskit.core.session.SessionManager;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Each agent's calls per UTC day, kept up to date from session changes so that the agent list and the agent
 * desk read them in O(agents) instead of scanning every session on each request.
 *
 * <p>A call counts for the agent who held it when it ended, on the day it ended, if it was accepted: one
 * handled call and its duration; its rating is added when the customer rates it. That is what a scan of the
 * sessions finds, and {@code AgentDayStatsTest} checks the two agree. Days before yesterday (by the
 * manager's clock) are dropped as new calls end.
 *
 * <p><b>Use:</b> build it with {@link #attach} right after {@link SessionManager#restore()}, before the
 * manager takes changes: it scans the restored sessions once and then listens.
 *
 * <p><b>Threading:</b> thread-safe; one small monitor, taken when a call ends or is rated and on reads.
 */
public final class AgentDayStats implements SessionListener {

    /** An agent's calls on one day: handled count, duration sum in seconds, rated count, star sum. */
    public record Day(long handled, long durationSeconds, long rated, long stars) {
        /** No calls. */
        public static final Day EMPTY = new Day(0, 0, 0, 0);

        /** The average call duration in seconds, 0 with no calls. */
        public double averageDuration() {
            return handled == 0 ? 0 : (double) durationSeconds / handled;
        }

        /** The average rating, or null with no rated calls. */
        public @Nullable Double averageRating() {
            return rated == 0 ? null : (double) stars / rated;
        }
    }

    private record Key(String agentId, LocalDate day) {
    }

    private final SessionManager sessions;
    private final Map<Key, long[]> days = new HashMap<>(); // guarded by this

    private AgentDayStats(SessionManager sessions) {
        this.sessions = sessions;
    }

    /** Scans the manager's sessions once, then follows its changes. */
    public static AgentDayStats attach(SessionManager sessions) {
        AgentDayStats stats = new AgentDayStats(Objects.requireNonNull(sessions, "sessions"));
        for (Session s : sessions.all()) {
            stats.onChanged(null, s);
        }
        sessions.addListener(stats);
        return stats;
    }

    @Override
    public void onChanged(@Nullable Session before, Session after) {
        if (!after.isEnded() || after.acceptedAt() == null || after.agentId() == null || after.endedAt() == null) {
            return;
        }
        boolean ended = before == null || !before.isEnded();
        boolean rated = after.rating() != null && (before == null || before.rating() == null);
        if (!ended && !rated) {
            return;
        }
        Key key = new Key(after.agentId(), day(after));
        synchronized (this) {
            long[] c = days.computeIfAbsent(key, k -> new long[4]);
            if (ended) {
                c[0]++;
                c[1] += after.durationSeconds(after.endedAt());
            }
            if (rated) {
                c[2]++;
                c[3] += after.rating().stars();
            }
            if (ended) {
                LocalDate yesterday = currentDay().minusDays(1);
                days.keySet().removeIf(k -> k.day().isBefore(yesterday));
            }
        }
    }

    /** Counted before anybody is told: an agent desk reloads its day figures when its state changes. */
    @Override
    public Phase phase() {
        return Phase.STATE;
    }

    /** Today's (UTC, by the manager's clock) figures of every agent with a call today. */
    public synchronized Map<String, Day> today() {
        LocalDate today = currentDay();
        Map<String, Day> out = new HashMap<>();
        days.forEach((k, c) -> {
            if (k.day().equals(today)) {
                out.put(k.agentId(), new Day(c[0], c[1], c[2], c[3]));
            }
        });
        return out;
    }

    /** Today's figures of one agent. */
    public synchronized Day today(String agentId) {
        long[] c = days.get(new Key(agentId, currentDay()));
        return c == null ? Day.EMPTY : new Day(c[0], c[1], c[2], c[3]);
    }

    private LocalDate currentDay() {
        return LocalDate.ofInstant(sessions.clock().instant(), ZoneOffset.UTC);
    }

    private static LocalDate day(Session s) {
        return LocalDate.ofInstant(s.endedAt(), ZoneOffset.UTC);
    }
}
