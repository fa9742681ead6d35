/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.signal;

import dev.cskit.api.room.RoomService;
import dev.cskit.api.room.RoomType;
import dev.cskit.api.session.EndReason;
import dev.cskit.api.session.Session;
import dev.cskit.api.session.SessionStatus;
import dev.cskit.core.session.SessionException;
import dev.cskit.core.session.SessionManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends Active calls whose room has stayed empty for a grace period, with reason {@code peer_gone}: both
 * parties closed their pages without hanging up, or the server restarted (after a crash the calls come back
 * Active) and nobody came back. Without it such a call would keep its agent busy until {@code session_timeout}.
 *
 * <p>A room counts as empty when the host reports no participant in it. The grace (2 minutes by default) is
 * long enough for pages that reconnect, and the clock starts at the first {@link #sweep} that finds the room
 * empty, so a call restored after a restart gets the whole grace for its parties to rejoin. The calls it
 * looks at are the open sessions this node {@linkplain SessionManager#hosted() hosts}; all it keeps is when each
 * empty room was first seen empty.
 *
 * <p><b>Threading:</b> thread-safe; {@link #sweep} runs on the host's blocking executor (it ends calls, which
 * writes the journal), triggered by the scheduler.
 */
public final class AbandonedCalls {

    /** How long an Active call's room may stay empty before the call is ended. */
    public static final Duration DEFAULT_GRACE = Duration.ofMinutes(2);

    private static final Logger LOG = LoggerFactory.getLogger(AbandonedCalls.class);

    private final SessionManager sessions;
    private final RoomService rooms;
    private final Clock clock;
    private final Duration grace;
    /** Active session id → when a sweep first found its room empty (only while it stays empty). */
    private final Map<String, Instant> emptySince = new ConcurrentHashMap<>();

    private AbandonedCalls(SessionManager sessions, RoomService rooms, Clock clock, Duration grace) {
        this.sessions = sessions;
        this.rooms = rooms;
        this.clock = clock;
        this.grace = grace;
    }

    /** Watches the Active calls of {@code sessions}, including those it restored. */
    public static AbandonedCalls attach(SessionManager sessions, RoomService rooms, Clock clock, Duration grace) {
        Objects.requireNonNull(grace, "grace");
        if (grace.isNegative() || grace.isZero()) {
            throw new IllegalArgumentException("grace must be positive, was " + grace);
        }
        return new AbandonedCalls(Objects.requireNonNull(sessions, "sessions"), Objects.requireNonNull(rooms, "rooms"),
                Objects.requireNonNull(clock, "clock"), grace);
    }

    /**
     * Looks at the room of every Active call; ends those whose room has been empty for the grace period.
     *
     * @return how many calls it ended
     */
    public synchronized int sweep() {
        Instant now = clock.instant();
        int ended = 0;
        Set<String> empty = new HashSet<>();
        for (Session s : sessions.hosted()) {
            String id = s.id();
            if (s.status() != SessionStatus.ACTIVE || !roomEmpty(id)) {
                continue;
            }
            empty.add(id);
            Instant since = emptySince.putIfAbsent(id, now);
            if (since != null && !now.isBefore(since.plus(grace))) {
                try {
                    sessions.end(id, EndReason.PEER_GONE);
                    ended++;
                    LOG.info("session {} ended: its room has been empty since {}", id, since);
                } catch (SessionException gone) {
                    // ended meanwhile by someone else
                }
            }
        }
        // Rooms that filled again, and calls that ended or left Active, start afresh next time.
        emptySince.keySet().retainAll(empty);
        return ended;
    }

    private boolean roomEmpty(String sessionId) {
        return rooms.room(RoomType.CUSTOMER_SERVICE.roomId(sessionId)).map(r -> r.participants().isEmpty()).orElse(true);
    }

    /** How many Active calls it watches (for tests and metrics). */
    public int size() {
        return (int) sessions.hosted().stream().filter(s -> s.status() == SessionStatus.ACTIVE).count();
    }
}
