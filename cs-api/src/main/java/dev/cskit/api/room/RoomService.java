/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.room;

import java.util.List;
import java.util.Optional;

/**
 * The host engine's room service: rooms of users connected over the room WebSocket, a seat limit per
 * {@link RoomType}, and callbacks into the plugin that owns the type.
 *
 * <p>The host owns the connections. It handles {@code join}, {@code leave}, {@code ping} and
 * {@code chat} itself (asking the type's {@link RoomCallbacks#onJoin} before it seats anybody) and
 * hands every other action to {@link RoomCallbacks#onMessage}, as a {@link RoomMessage} parsed once.
 *
 * <p><b>Frames a host hands on</b> (every host, for every room type; PROTOCOL.md "Room WebSocket"): a frame
 * that is not a JSON object with a string {@code action} gets {@code error} {@code bad_request}. A frame whose
 * {@code room_id} or {@code user_id} is present, not null, and not the sender's seat (the room it joined, the
 * user it joined as) is refused with {@link RoomError#checkSeat}: {@code error} {@code bad_request} for another
 * room, {@code forbidden} for another user; it changes nothing and the plugin never sees it. Left out, they
 * default to the seat. Error frames are built with {@link RoomError}.
 *
 * <p><b>Threading:</b> every method is thread-safe, never blocks on the network (sends are queued on the
 * connection), and may be called from any thread, including from inside a {@link RoomCallbacks} method
 * (re-entrant calls are allowed; callbacks they cause are delivered after the current one returns or on
 * another thread, never recursively into the same callback). Messages are JSON objects as text; the host
 * does not inspect what it sends.
 */
public interface RoomService {

    /**
     * Registers the callbacks for a room type, making the type joinable.
     *
     * @throws IllegalStateException if the type already has callbacks
     */
    void registerCallbacks(RoomType type, RoomCallbacks callbacks);

    /** Removes the type's callbacks; rooms of the type are closed with {@link LeaveReason#SHUTDOWN}. */
    void unregisterCallbacks(RoomType type);

    /**
     * Sends one JSON text frame to one seated user.
     *
     * @return false if the user is not seated in that room (nothing is sent)
     */
    boolean sendTo(String roomId, String userId, String json);

    /**
     * Sends one {@code error} frame to one seated user.
     *
     * @return false if the user is not seated in that room (nothing is sent)
     */
    default boolean sendError(String roomId, String userId, RoomError error) {
        return sendTo(roomId, userId, error.toJson());
    }

    /**
     * Sends one JSON text frame to every user seated in a room.
     *
     * @return how many users it was queued for
     */
    int broadcast(String roomId, String json);

    /**
     * Takes a user's seat. The user's connection stays open (it may join another room); the others in
     * the room get {@code user_left}; the type's {@link RoomCallbacks#onLeave} is called with
     * {@link LeaveReason#REMOVED}. {@code json}, when not empty, is sent to the user first.
     *
     * @return false if the user was not seated there
     */
    boolean removeUser(String roomId, String userId, String json);

    /**
     * Closes a room: every user is unseated ({@link LeaveReason#ROOM_CLOSED}), then
     * {@link RoomCallbacks#onRoomClosed} is called once.
     *
     * @return false if no such room was open
     */
    boolean closeRoom(String roomId);

    /** A snapshot of the room, if anybody is seated in it. */
    Optional<RoomInfo> room(String roomId);

    /** A snapshot of every open room, optionally only those whose id starts with {@code prefix}. */
    List<RoomInfo> rooms(String prefix);
}
