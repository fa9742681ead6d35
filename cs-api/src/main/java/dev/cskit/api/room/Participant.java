/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.room;

import java.time.Instant;
import java.util.Objects;

/**
 * A user seated in a room.
 *
 * @param userId      unique within the room
 * @param displayName what the other users see; the plugin may set it when it admits the user
 * @param role        a free-form role the plugin assigned on join (e.g. {@code agent}, {@code customer})
 * @param joinedAt    when the host seated the user
 */
public record Participant(String userId, String displayName, String role, Instant joinedAt) {
    public Participant {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(joinedAt, "joinedAt");
    }
}
