/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.room;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A text frame a seated user sent that the host does not handle itself ({@code join}, {@code leave},
 * {@code ping} and {@code chat} are the host's), handed to the room type's callbacks. The host parsed the
 * frame once: it is a JSON object with a string {@code action}, its {@code room_id} and {@code user_id} (if
 * any) name the sender's seat ({@link RoomService}), and its top-level string members are in {@link #fields},
 * so a plugin need not parse {@link #json} again.
 *
 * @param roomId the room the sender is seated in (the host's record, not what the frame claims)
 * @param userId the sender (the host's record, not what the frame claims)
 * @param action the frame's {@code action} field
 * @param fields the frame's top-level members whose values are JSON strings, by name (members of other types
 *               are left out: a plugin that needs them reads {@link #json})
 * @param json   the whole frame, a JSON object as text
 */
public record RoomMessage(String roomId, String userId, String action, Map<String, String> fields, String json) {
    public RoomMessage {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(action, "action");
        fields = Map.copyOf(fields);
        Objects.requireNonNull(json, "json");
    }

    /** A top-level string member of the frame; empty if absent, not a string, or blank. */
    public Optional<String> field(String name) {
        String v = fields.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
    }
}
