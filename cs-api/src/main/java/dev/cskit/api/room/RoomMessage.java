/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.room;

import java.util.Objects;

/**
 * A text frame a seated user sent that the host does not handle itself ({@code join}, {@code leave},
 * {@code ping} and {@code chat} are the host's), handed to the room type's callbacks.
 *
 * @param roomId the room the sender is seated in (the host's record, not what the frame claims)
 * @param userId the sender (the host's record, not what the frame claims)
 * @param action the frame's {@code action} field
 * @param json   the whole frame, a JSON object as text
 */
public record RoomMessage(String roomId, String userId, String action, String json) {
    public RoomMessage {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(json, "json");
    }
}
