/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.store.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.room.LeaveReason;
import dev.cskit.api.room.Participant;
import dev.cskit.core.json.SessionJson;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@link RedisRoomBus} keeps in Redis and sends on its channels, as text: a seat ({@code <node id>\n<participant
 * JSON>}), and the messages its scripts publish ({@code {"k", "r", "u", "j", "w"}}: kind, room, users, frame, reason).
 * Stateless.
 */
final class RoomBusCodec {

    /** A message from a node's channel. */
    sealed interface Message {
        String roomId();
    }

    /** {@code k: "d"}: a frame to these users' seats. */
    record Deliver(String roomId, List<String> userIds, String json) implements Message {
    }

    /** {@code k: "x"}: take these users' seats, {@code json} first to each if not empty. */
    record Remove(String roomId, List<String> userIds, String json, LeaveReason reason) implements Message {
    }

    /** {@code k: "p"}: the user's seat was taken over by another node. */
    record Replaced(String roomId, String userId, String json) implements Message {
    }

    private RoomBusCodec() {
    }

    static String seat(String nodeId, Participant p) {
        ObjectNode n = SessionJson.MAPPER.createObjectNode();
        n.put("user_id", p.userId());
        n.put("display_name", p.displayName());
        n.put("role", p.role());
        n.put("joined_at", p.joinedAt().toString());
        return nodeId + '\n' + n;
    }

    /** The participant of a seat; null if the seat is damaged. */
    static @Nullable Participant participant(String seat) {
        int nl = seat.indexOf('\n');
        if (nl < 0) {
            return null;
        }
        try {
            JsonNode n = SessionJson.MAPPER.readTree(seat.substring(nl + 1));
            return new Participant(text(n, "user_id"), text(n, "display_name"), text(n, "role"),
                    Instant.parse(text(n, "joined_at")));
        } catch (java.io.IOException | DateTimeParseException | IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }

    /** The seats' participants, damaged seats left out. */
    static List<Participant> participants(List<?> seats) {
        List<Participant> out = new ArrayList<>(seats.size());
        for (Object s : seats) {
            Participant p = s instanceof String text ? participant(text) : null;
            if (p != null) {
                out.add(p);
            }
        }
        return out;
    }

    /** The message of a channel's payload; null if it is not one (garbage is dropped, never acted upon). */
    static @Nullable Message message(String payload) {
        JsonNode n;
        try {
            n = SessionJson.MAPPER.readTree(payload);
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
        if (n == null || !n.isObject()) {
            return null;
        }
        String kind = text(n, "k");
        String room = text(n, "r");
        String json = text(n, "j");
        JsonNode u = n.get("u");
        if (kind == null || room == null || json == null || u == null || !u.isArray() || u.isEmpty()) {
            return null;
        }
        List<String> users = new ArrayList<>(u.size());
        for (JsonNode user : u) {
            if (!user.isTextual()) {
                return null;
            }
            users.add(user.textValue());
        }
        return switch (kind) {
            case "d" -> new Deliver(room, users, json);
            case "x" -> {
                LeaveReason reason = reason(text(n, "w"));
                yield reason == null ? null : new Remove(room, users, json, reason);
            }
            case "p" -> users.size() != 1 ? null : new Replaced(room, users.get(0), json);
            default -> null;
        };
    }

    static String reasonName(LeaveReason reason) {
        return reason.name().toLowerCase(Locale.ROOT);
    }

    private static @Nullable LeaveReason reason(@Nullable String name) {
        if (name == null) {
            return null;
        }
        for (LeaveReason r : LeaveReason.values()) {
            if (reasonName(r).equals(name)) {
                return r;
            }
        }
        return null;
    }

    private static @Nullable String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.isTextual() ? v.textValue() : null;
    }
}
