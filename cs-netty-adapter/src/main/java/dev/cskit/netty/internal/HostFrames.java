/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.room.LeaveReason;
import dev.cskit.api.room.Participant;
import dev.cskit.api.room.RoomError;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The room frames the host writes itself (PROTOCOL.md "Room WebSocket": {@code joined}, {@code user_joined},
 * {@code user_left}, {@code chat}; errors through {@link RoomError}) and what it reads of a client's frame for
 * the plugin. Stateless. Unsupported API.
 */
final class HostFrames {

    private HostFrames() {
    }

    static String joined(String roomId, String userId, Collection<Participant> everyone) {
        ObjectNode n = Json.object();
        n.put("action", "joined");
        n.put("room_id", roomId);
        n.put("user_id", userId);
        ArrayNode users = n.putArray("users");
        everyone.forEach(p -> users.add(participant(p)));
        return Json.write(n);
    }

    /** The joiner named the way {@code joined} and {@code user_left} name a user, and in full. */
    static String userJoined(String roomId, Participant p) {
        ObjectNode n = Json.object();
        n.put("action", "user_joined");
        n.put("room_id", roomId);
        n.put("user_id", p.userId());
        n.set("user", participant(p));
        return Json.write(n);
    }

    static String userLeft(String roomId, String userId, LeaveReason reason) {
        ObjectNode n = Json.object();
        n.put("action", "user_left");
        n.put("room_id", roomId);
        n.put("user_id", userId);
        n.put("reason", reason.name().toLowerCase(Locale.ROOT));
        return Json.write(n);
    }

    static String chat(String roomId, String userId, String displayName, String text, long ts) {
        ObjectNode n = Json.object();
        n.put("action", "chat");
        n.put("room_id", roomId);
        n.put("user_id", userId);
        n.put("display_name", displayName);
        n.put("text", text);
        n.put("ts", ts);
        return Json.write(n);
    }

    /** The {@code replaced} error the user's former connection gets when a new one takes its seat. */
    static String replaced(String roomId, String userId) {
        return error("replaced", "user " + userId + " joined room " + roomId + " from another connection");
    }

    static String fullMessage(String roomId, int maxUsers) {
        return "room " + roomId + " already has " + maxUsers + " users; no seat is free";
    }

    static String error(String code, String message) {
        return new RoomError(code, message).toJson();
    }

    /** A member as {@link RoomError#checkSeat} takes it: null if absent or JSON null, the text of a string, else the node. */
    static @Nullable Object member(ObjectNode frame, String name) {
        JsonNode v = frame.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        return v.isTextual() ? v.textValue() : v;
    }

    /** The frame's top-level string members, for {@code RoomMessage.fields()}. */
    static Map<String, String> stringFields(ObjectNode frame) {
        Map<String, String> fields = new HashMap<>();
        frame.properties().forEach(e -> {
            if (e.getValue().isTextual()) {
                fields.put(e.getKey(), e.getValue().textValue());
            }
        });
        return fields;
    }

    private static ObjectNode participant(Participant p) {
        ObjectNode u = Json.object();
        u.put("user_id", p.userId());
        u.put("display_name", p.displayName());
        u.put("role", p.role());
        u.put("joined_at", p.joinedAt().toString());
        return u;
    }
}
