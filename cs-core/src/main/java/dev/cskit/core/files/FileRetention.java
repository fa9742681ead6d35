/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.files;

import dev.cskit.api.session.Session;
import dev.cskit.core.session.SessionManager;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code retention_days}: deletes the files of sessions that ended more than that many days ago, and of sessions
 * the server no longer knows. Only files: the sessions' records stay in the session store. Time is the given
 * clock's; {@link #sweep} is called by the plugin's schedule, on a thread that may block. Thread-safe.
 */
public final class FileRetention {

    private static final Logger LOG = LoggerFactory.getLogger(FileRetention.class);

    private final FileStore store;
    private final SessionManager sessions;
    private final Duration keep;
    private final Clock clock;

    /** @param days days after a session ended that its files go; at least 1 */
    public FileRetention(FileStore store, SessionManager sessions, int days, Clock clock) {
        if (days < 1) {
            throw new IllegalArgumentException("retention days must be at least 1 (0 means no sweep), was " + days);
        }
        this.store = Objects.requireNonNull(store, "store");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.keep = Duration.ofDays(days);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Deletes what is due; how many files it deleted. */
    public int sweep() throws IOException {
        Instant cutoff = clock.instant().minus(keep);
        int deleted = 0;
        for (String id : store.sessions()) {
            Optional<Session> s = sessions.get(id);
            boolean due = s.isEmpty() || (s.get().isEnded() && s.get().endedAt() != null
                    && s.get().endedAt().isBefore(cutoff));
            if (due) {
                int n = store.deleteSession(id);
                deleted += n;
                LOG.info("deleted {} files of session {} ({})", n, id, s.isEmpty() ? "an unknown session"
                        : "ended " + s.get().endedAt());
            }
        }
        return deleted;
    }
}
