/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.room;

/**
 * What the plugin that owns a {@link RoomType} is told about its rooms. Every method has a no-op default.
 *
 * <p><b>Threading:</b> calls about one room are never concurrent with each other and arrive in the order the
 * host saw the events: the host serializes them (one queue per room, or per group of rooms), so a plugin needs
 * no serializer of its own. Calls about different rooms may be concurrent. The host calls them on threads
 * that may block briefly, as {@link dev.cskit.api.http.HttpHandler}s may (e.g. to write a journal record
 * before answering), and never on a thread that serves connections' I/O; a slow callback delays only the
 * rooms that share its queue. Implementations must be thread-safe, should not wait on the network, and may
 * call back into {@link RoomService} (the callbacks that causes come after the current one returns).
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

    /**
     * A seated user sent an action the host does not handle itself. The host has parsed the frame and checked
     * that any {@code room_id} or {@code user_id} in it names the sender's seat ({@link RoomService}).
     */
    default void onMessage(RoomMessage message) {
    }

    /** The last user left the room, or the room was closed; the room no longer exists. */
    default void onRoomClosed(String roomId) {
    }
}
