/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty.internal;

import dev.cskit.api.room.Participant;
import dev.cskit.api.room.RoomCallbacks;
import dev.cskit.api.room.RoomType;
import java.time.Instant;
import java.util.LinkedHashMap;

/** A room's seats on this host, guarded by the {@link RoomRegistry}'s lock. Unsupported API. */
final class LocalRoom {

    /** A registered room type and the plugin's callbacks for it. */
    static final class TypeEntry {
        final RoomType type;
        final RoomCallbacks callbacks;

        TypeEntry(RoomType type, RoomCallbacks callbacks) {
            this.type = type;
            this.callbacks = callbacks;
        }
    }

    /** A seated user and the connection that holds the seat. */
    static final class Seat {
        final Participant participant;
        final RoomConnection connection;

        Seat(Participant participant, RoomConnection connection) {
            this.participant = participant;
            this.connection = connection;
        }
    }

    final String id;
    final TypeEntry type;
    final Instant createdAt;
    final LinkedHashMap<String, Seat> seats = new LinkedHashMap<>();

    LocalRoom(String id, TypeEntry type, Instant createdAt) {
        this.id = id;
        this.type = type;
        this.createdAt = createdAt;
    }
}
