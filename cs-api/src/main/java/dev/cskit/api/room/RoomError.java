/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.room;

import dev.cskit.api.annotation.Nullable;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@code error} frame of the room WebSocket, {@code {"action":"error","code":…,"message":…}}: the one
 * builder that hosts and plugins use for every refusal they send a client. Immutable.
 *
 * @param code    a short machine-readable code, e.g. {@code bad_request}, {@code forbidden}, {@code not_joined}
 * @param message what went wrong and how to fix it, for the client's developer
 */
public record RoomError(String code, String message) {

    public RoomError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        if (code.isBlank()) {
            throw new IllegalArgumentException("an error frame needs a code");
        }
    }

    /**
     * The seat check every host makes before it hands a frame to {@link RoomCallbacks#onMessage}
     * ({@link RoomService}): a frame may leave {@code room_id} and {@code user_id} out (or null), but when it
     * names them they must be the sender's seat.
     *
     * @param roomId      the room the sender is seated in
     * @param userId      the sender
     * @param frameRoomId the frame's {@code room_id}: {@code null} if absent or JSON null, a {@link String} for a
     *                    JSON string, any other object for another JSON type
     * @param frameUserId the frame's {@code user_id}, the same way
     * @return the refusal ({@code bad_request} for another room, {@code forbidden} for another user), or empty
     */
    public static Optional<RoomError> checkSeat(String roomId, String userId, @Nullable Object frameRoomId,
                                                @Nullable Object frameUserId) {
        if (frameRoomId != null && !roomId.equals(frameRoomId)) {
            return Optional.of(new RoomError("bad_request", "room_id must be " + roomId
                    + ", the room this connection joined (or left out)"));
        }
        if (frameUserId != null && !userId.equals(frameUserId)) {
            return Optional.of(new RoomError("forbidden", "user_id must be " + userId
                    + ", the user this connection joined as (or left out)"));
        }
        return Optional.empty();
    }

    /** The frame as JSON text. */
    public String toJson() {
        StringBuilder b = new StringBuilder(40 + code.length() + message.length());
        b.append("{\"action\":\"error\",\"code\":");
        quote(b, code);
        b.append(",\"message\":");
        quote(b, message);
        return b.append('}').toString();
    }

    /** Appends {@code s} as a JSON string (RFC 8259 §7: quote, backslash and control characters escaped). */
    private static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
