/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.room;

import dev.cskit.api.annotation.Nullable;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A client's request to take a seat in a room, as the host received it.
 *
 * @param roomId        the room asked for
 * @param userId        the user id the client claims
 * @param token         the credential the client sent, or {@code null} if it sent none
 * @param remoteAddress where the connection comes from
 */
public record JoinRequest(String roomId, String userId, @Nullable String token, InetSocketAddress remoteAddress) {
    public JoinRequest {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(remoteAddress, "remoteAddress");
    }
}
