/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.room;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A snapshot of one room: who is in it now.
 *
 * @param roomId       the full room id, e.g. {@code customer-service/cs_abc}
 * @param type         the room's type
 * @param createdAt    when the first user entered
 * @param participants the users present, in the order they joined
 */
public record RoomInfo(String roomId, RoomType type, Instant createdAt, List<Participant> participants) {
    public RoomInfo {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(createdAt, "createdAt");
        participants = List.copyOf(participants);
    }
}
