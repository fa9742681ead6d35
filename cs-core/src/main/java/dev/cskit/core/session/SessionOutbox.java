/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.session;

import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.session.OutboxRecord;
import dev.cskit.api.session.Session;
import java.util.List;

/**
 * What a session change writes into the store's outbox together with the change (the webhook deliveries it
 * causes), and who is told once both are stored. The {@link SessionManager} calls {@link #recordsFor} before it
 * writes a change, hands the records to {@link dev.cskit.api.session.SessionStore#put(Session, List)} with it, and
 * calls {@link #stored} once that returned: a record is never heard of for a change that was not stored.
 *
 * <p><b>Threading:</b> both are called on the thread that changes the session, under that session's lock, so the
 * changes of one session arrive in order. They must not block and must not change sessions; {@code recordsFor}
 * has no side effects (the write may still fail).
 */
public interface SessionOutbox {

    /** Writes nothing. */
    SessionOutbox NONE = new SessionOutbox() {
        @Override
        public List<OutboxRecord> recordsFor(@Nullable Session before, Session after) {
            return List.of();
        }

        @Override
        public void stored(List<OutboxRecord> records) {
        }
    };

    /**
     * The records a change causes, in the order they must be delivered; often none.
     *
     * @param before the previous version, or {@code null} for a new session
     */
    List<OutboxRecord> recordsFor(@Nullable Session before, Session after);

    /** The change and {@code records} (not empty) were stored. */
    void stored(List<OutboxRecord> records);
}
