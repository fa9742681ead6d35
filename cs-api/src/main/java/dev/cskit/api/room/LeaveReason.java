/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.room;

/** Why a user left a room. */
public enum LeaveReason {
    /** The client sent {@code leave}. */
    LEFT,
    /** The connection closed or failed. */
    DISCONNECTED,
    /** The heartbeat found the client silent for too long. */
    TIMED_OUT,
    /** The plugin removed the user ({@link RoomService#removeUser}). */
    REMOVED,
    /** The room was closed. */
    ROOM_CLOSED,
    /** The host is shutting down. */
    SHUTDOWN
}
