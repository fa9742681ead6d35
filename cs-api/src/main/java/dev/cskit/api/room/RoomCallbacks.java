/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.room;

/**
 * What the plugin that owns a {@link RoomType} is told about its rooms. Every method has a no-op default.
 *
 * <p><b>Threading:</b> the host calls these on its I/O threads; calls about one room are never concurrent
 * with each other and arrive in the order the host saw the events, but calls about different rooms may be
 * concurrent. Implementations must be thread-safe, must not block (no disk or network waits: hand such
 * work to the scheduler from the plugin's context), and may call back into {@link RoomService}.
 * An exception thrown from a callback is logged by the host; from {@link #onJoin} it refuses the seat
 * with {@code internal_error}, from {@link #onMessage} the sender gets an {@code error} frame.
 */
public interface RoomCallbacks {

    /**
     * Decides whether a user may take a seat. Called before the host checks the seat limit, so a refused
     * user never takes one. Returning {@link JoinDecision#accept()} does not guarantee a seat: the room may
     * be full, in which case the client gets {@code room_full} and {@link #onJoined} is not called.
     */
    default JoinDecision onJoin(JoinRequest request) {
        return JoinDecision.accept();
    }

    /** A user has been seated; the others have been sent {@code user_joined}. */
    default void onJoined(String roomId, Participant participant) {
    }

    /** A user lost their seat; the others have been sent {@code user_left}. */
    default void onLeave(String roomId, String userId, LeaveReason reason) {
    }

    /** A seated user sent an action the host does not handle itself. */
    default void onMessage(RoomMessage message) {
    }

    /** The last user left the room, or the room was closed; the room no longer exists. */
    default void onRoomClosed(String roomId) {
    }
}
