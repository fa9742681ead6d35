/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.signal;

import dev.cskit.api.Nullable;
import dev.cskit.api.room.RoomService;
import dev.cskit.api.room.RoomType;
import dev.cskit.api.session.EndReason;
import dev.cskit.api.session.Session;
import dev.cskit.api.session.SessionStatus;
import dev.cskit.core.session.SessionException;
import dev.cskit.core.session.SessionListener;
import dev.cskit.core.session.SessionManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
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
 * empty, so a call restored after a restart gets the whole grace for its parties to rejoin.
 *
 * <p><b>Threading:</b> thread-safe. {@link #sweep} runs on the host's scheduler; the listener on any thread.
 */
public final class AbandonedCalls implements SessionListener {

    /** How long an Active call's room may stay empty before the call is ended. */
    public static final Duration DEFAULT_GRACE = Duration.ofMinutes(2);

    private static final Logger LOG = LoggerFactory.getLogger(AbandonedCalls.class);
    /** The room was occupied at the last sweep (or not swept yet). */
    private static final Instant OCCUPIED = Instant.MAX;

    private final SessionManager sessions;
    private final RoomService rooms;
    private final Clock clock;
    private final Duration grace;
    /** Active session id → since when its room has been empty, or {@link #OCCUPIED}. */
    private final Map<String, Instant> active = new ConcurrentHashMap<>();

    private AbandonedCalls(SessionManager sessions, RoomService rooms, Clock clock, Duration grace) {
        this.sessions = sessions;
        this.rooms = rooms;
        this.clock = clock;
        this.grace = grace;
    }

    /** Starts following {@code sessions}, including the Active calls it holds already (restored ones). */
    public static AbandonedCalls attach(SessionManager sessions, RoomService rooms, Clock clock, Duration grace) {
        Objects.requireNonNull(grace, "grace");
        if (grace.isNegative() || grace.isZero()) {
            throw new IllegalArgumentException("grace must be positive, was " + grace);
        }
        AbandonedCalls calls = new AbandonedCalls(Objects.requireNonNull(sessions, "sessions"),
                Objects.requireNonNull(rooms, "rooms"), Objects.requireNonNull(clock, "clock"), grace);
        sessions.addListener(calls);
        for (Session s : sessions.all()) {
            calls.onChanged(null, s);
        }
        return calls;
    }

    @Override
    public void onChanged(@Nullable Session before, Session after) {
        if (after.status() == SessionStatus.ACTIVE) {
            active.putIfAbsent(after.id(), OCCUPIED);
        } else if (after.isEnded()) {
            active.remove(after.id());
        }
    }

    /**
     * Looks at the room of every Active call; ends those whose room has been empty for the grace period.
     *
     * @return how many calls it ended
     */
    public int sweep() {
        Instant now = clock.instant();
        int ended = 0;
        for (Map.Entry<String, Instant> e : active.entrySet()) {
            String id = e.getKey();
            boolean empty = rooms.room(RoomType.CUSTOMER_SERVICE.roomId(id))
                    .map(r -> r.participants().isEmpty()).orElse(true);
            Instant since = e.getValue();
            if (!empty) {
                active.replace(id, since, OCCUPIED);
            } else if (since == OCCUPIED) {
                active.replace(id, OCCUPIED, now);
            } else if (!now.isBefore(since.plus(grace))) {
                try {
                    sessions.end(id, EndReason.PEER_GONE);
                    ended++;
                    LOG.info("session {} ended: its room has been empty since {}", id, since);
                } catch (SessionException gone) {
                    active.remove(id); // ended meanwhile by someone else
                }
            }
        }
        return ended;
    }

    /** How many Active calls are followed (for tests and metrics). */
    public int size() {
        return active.size();
    }
}
