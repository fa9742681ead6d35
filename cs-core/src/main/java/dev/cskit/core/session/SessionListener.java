/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.session;

import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.session.Session;

/**
 * Learns of every change the {@link SessionManager} made, after it was stored.
 *
 * <p><b>Order:</b> each change is announced to the listeners phase by phase, {@link Phase#STATE}, then
 * {@link Phase#MEDIA}, then {@link Phase#SIGNALING}, then {@link Phase#OTHER}; within a phase in the order
 * they were added. The order of {@link SessionManager#addListener} calls across phases does not matter.
 *
 * <p><b>Threading:</b> called on the thread that made the change, while that session's lock is held, so
 * the changes of one session arrive one at a time and in order; changes of different sessions may arrive
 * concurrently. Must be thread-safe and must not block (hand slow work to an executor). It may read the
 * manager but must not change the same session from inside the call. An exception is logged, does not undo
 * the change (it is already stored) and does not keep the later listeners from hearing of it.
 */
@FunctionalInterface
public interface SessionListener {

    /** When a listener hears of a change, relative to the others. */
    enum Phase {
        /**
         * Derived state kept from the changes (statistics, indexes) that sends nothing: first, so whatever a
         * client is told later finds the change counted (the agent desk reloads its day figures when its
         * state changes).
         */
        STATE,
        /**
         * The media path: before the room hears of a hold, resume, transfer or end, the media has changed, so
         * a party told {@code call_held} receives no more media after it.
         */
        MEDIA,
        /** The room signaling: the frames the call's parties get ({@code call_accepted}, {@code call_ended}, …). */
        SIGNALING,
        /** Everything else (routing, integrators), after the parties were told. */
        OTHER
    }

    /**
     * A session changed.
     *
     * @param before the previous version, or {@code null} if the session was just created
     * @param after  the new version
     */
    void onChanged(@Nullable Session before, Session after);

    /** The phase this listener hears changes in; {@link Phase#OTHER} unless it says otherwise. */
    default Phase phase() {
        return Phase.OTHER;
    }
}
