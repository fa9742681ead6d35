/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.metrics;

import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.metrics.Counter;
import dev.cskit.api.metrics.Histogram;
import dev.cskit.api.metrics.Tags;
import dev.cskit.api.session.EndReason;
import dev.cskit.api.session.Session;
import dev.cskit.api.session.SessionStatus;
import dev.cskit.core.agent.AgentRouter;
import dev.cskit.core.agent.AgentState;
import dev.cskit.core.agent.AgentView;
import dev.cskit.core.agent.QueueEntry;
import dev.cskit.core.session.SessionListener;
import dev.cskit.core.session.SessionManager;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The session, call, queue and agent metrics. Counts that {@code /stats} shows are gauges over
 * {@link SessionManager#stats()}, so a scrape and {@code /stats} agree; the queue and the agents are read from
 * the {@link AgentRouter} when scraped. What only an event shows (a session created or ended, a call's duration,
 * a rating) is recorded as the session changes: this is a {@link SessionListener} of phase {@link Phase#STATE}.
 *
 * <p>Names: {@code cskit_sessions{status}}, {@code cskit_calls_active}, {@code cskit_calls_on_hold},
 * {@code cskit_session_creations_total}, {@code cskit_sessions_ended_total{reason}},
 * {@code cskit_call_duration_seconds}, {@code cskit_rating_stars}, {@code cskit_queue_length},
 * {@code cskit_queue_longest_wait_seconds}, {@code cskit_agents{state}}.
 *
 * <p>Thread-safe: the listener runs on the thread that changed a session, the gauges on the scraping thread.
 */
public final class CoreMeters implements SessionListener {

    /** Call durations: 10 s to 2 h. */
    static final double[] DURATION_BUCKETS = {10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200};
    static final double[] STAR_BUCKETS = {1, 2, 3, 4, 5};

    private final Counter created;
    private final Map<EndReason, Counter> ended = new EnumMap<>(EndReason.class);
    private final Histogram callDuration;
    private final Histogram ratings;

    private CoreMeters(MeterSet meters) {
        created = meters.counter("cskit_session_creations", "Sessions created", Tags.empty());
        for (EndReason r : EndReason.values()) {
            ended.put(r, meters.counter("cskit_sessions_ended", "Sessions ended, by end reason",
                    Tags.of("reason", r.wireName())));
        }
        callDuration = meters.histogram("cskit_call_duration_seconds",
                "Duration of the calls that ended, from accept to end", Tags.empty(), DURATION_BUCKETS);
        ratings = meters.histogram("cskit_rating_stars", "Customers' ratings (1 to 5 stars)", Tags.empty(),
                STAR_BUCKETS);
    }

    /** Journal fsync times: 0.5 ms to 2.5 s. */
    static final double[] FSYNC_BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};

    /** The histogram of the session journal's fsync times ({@code cskit_journal_fsync_seconds}). */
    public static Histogram journalFsync(MeterSet meters) {
        return meters.histogram("cskit_journal_fsync_seconds", "Time the session journal's group-commit fsync took",
                Tags.empty(), FSYNC_BUCKETS);
    }

    /**
     * Registers the meters and adds the listener to {@code sessions}.
     *
     * @param clock the plugin's clock, for the queue's longest wait
     */
    public static CoreMeters register(MeterSet meters, SessionManager sessions, AgentRouter router, Clock clock) {
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(router, "router");
        Objects.requireNonNull(clock, "clock");
        meters.gauge("cskit_sessions", "Sessions by status, as /customer-service/stats counts them",
                Tags.of("status", "waiting"), () -> sessions.stats().waitingSessions());
        meters.gauge("cskit_sessions", "Sessions by status, as /customer-service/stats counts them",
                Tags.of("status", "active"), () -> sessions.stats().activeSessions());
        meters.gauge("cskit_sessions", "Sessions by status, as /customer-service/stats counts them",
                Tags.of("status", "ended"), () -> sessions.stats().endedSessions());
        meters.gauge("cskit_calls_active", "Calls in progress (Active sessions, held ones included)", Tags.empty(),
                () -> sessions.stats().activeSessions());
        meters.gauge("cskit_calls_on_hold", "Calls in progress that are on hold", Tags.empty(),
                () -> onHold(sessions));
        meters.gauge("cskit_queue_length", "Customers waiting in the visitor queue (auto_assign)", Tags.empty(),
                () -> router.queue().size());
        meters.gauge("cskit_queue_longest_wait_seconds", "How long the customer waiting longest has waited",
                Tags.empty(), () -> longestWait(router, clock));
        for (AgentState st : AgentState.values()) {
            meters.gauge("cskit_agents", "Agents by state", Tags.of("state", st.wireName()),
                    () -> agentsIn(router, st));
        }
        CoreMeters m = new CoreMeters(meters);
        sessions.addListener(m);
        return m;
    }

    private static long onHold(SessionManager sessions) {
        long n = 0;
        for (Session s : sessions.open()) {
            if (s.status() == SessionStatus.ACTIVE && s.onHold()) {
                n++;
            }
        }
        return n;
    }

    private static double longestWait(AgentRouter router, Clock clock) {
        long longest = 0;
        long now = clock.millis();
        for (QueueEntry e : router.queue()) {
            longest = Math.max(longest, now - e.waitingSince().toEpochMilli());
        }
        return longest / 1000.0;
    }

    private static long agentsIn(AgentRouter router, AgentState state) {
        long n = 0;
        for (AgentView a : router.agents()) {
            if (a.state() == state) {
                n++;
            }
        }
        return n;
    }

    /** Before the room hears of a change, so a client that reads the metrics after {@code call_ended} finds it. */
    @Override
    public Phase phase() {
        return Phase.STATE;
    }

    @Override
    public void onChanged(@Nullable Session before, Session after) {
        if (before == null) {
            created.increment();
        }
        if ((before == null || !before.isEnded()) && after.isEnded()) {
            EndReason reason = after.endReason();
            if (reason != null) {
                ended.get(reason).increment();
            }
            if (after.acceptedAt() != null) {
                callDuration.record(after.durationSeconds(after.endedAt()));
            }
        }
        if ((before == null || before.rating() == null) && after.rating() != null) {
            ratings.record(after.rating().stars());
        }
    }
}
