/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.session;

import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.session.Session;

/**
 * Learns of every change the {@link SessionManager} made, after it was stored.
 *
 * <p><b>Threading:</b> called on the thread that made the change, while that session's lock is held, so
 * the changes of one session arrive one at a time and in order; changes of different sessions may arrive
 * concurrently. Must be thread-safe and must not block (hand slow work to an executor). It may read the
 * manager but must not change the same session from inside the call. An exception is logged and does not
 * undo the change (it is already stored).
 */
@FunctionalInterface
public interface SessionListener {

    /**
     * A session changed.
     *
     * @param before the previous version, or {@code null} if the session was just created
     * @param after  the new version
     */
    void onChanged(@Nullable Session before, Session after);
}
