/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.room;

import java.util.Objects;

/**
 * A kind of room the host's room service manages, with its seat limit and room-id prefix.
 *
 * @param name         the value clients pass as {@code ?type=} on the room WebSocket, e.g. {@code customer_service}
 * @param maxUsers     how many users a room of this type seats at once; the host enforces it atomically
 * @param roomIdPrefix every room id of this type starts with it, e.g. {@code customer-service/}
 */
public record RoomType(String name, int maxUsers, String roomIdPrefix) {

    /** 1v1 customer-service calls: an agent and a customer, room ids {@code customer-service/{session_id}}. */
    public static final RoomType CUSTOMER_SERVICE = new RoomType("customer_service", 2, "customer-service/");

    public RoomType {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(roomIdPrefix, "roomIdPrefix");
        if (name.isBlank()) {
            throw new IllegalArgumentException("room type name must not be blank");
        }
        if (maxUsers < 1) {
            throw new IllegalArgumentException("maxUsers must be at least 1, was " + maxUsers);
        }
    }

    /** Whether {@code roomId} belongs to this type (starts with the prefix and has something after it). */
    public boolean owns(String roomId) {
        return roomId.length() > roomIdPrefix.length() && roomId.startsWith(roomIdPrefix);
    }

    /** The room id for a key of this type, e.g. {@code customer-service/cs_abc}. */
    public String roomId(String key) {
        return roomIdPrefix + key;
    }

    /** The key of a room id of this type: the part after the prefix. */
    public String keyOf(String roomId) {
        if (!owns(roomId)) {
            throw new IllegalArgumentException("room id '" + roomId + "' does not start with '" + roomIdPrefix + "'");
        }
        return roomId.substring(roomIdPrefix.length());
    }
}
