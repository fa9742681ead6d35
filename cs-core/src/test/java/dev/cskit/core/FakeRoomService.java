/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cskit.api.room.JoinDecision;
import dev.cskit.api.room.JoinRequest;
import dev.cskit.api.room.LeaveReason;
import dev.cskit.api.room.Participant;
import dev.cskit.api.room.RoomCallbacks;
import dev.cskit.api.room.RoomError;
import dev.cskit.api.room.RoomInfo;
import dev.cskit.api.room.RoomMessage;
import dev.cskit.api.room.RoomService;
import dev.cskit.api.room.RoomType;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A tiny in-memory host room service for tests: seats users up to the type's limit, records every frame a
 * user was sent, and drives the plugin's callbacks like a WebSocket host would. Thread-safe (one lock).
 */
public final class FakeRoomService implements RoomService {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Clock clock;
    private final Map<String, RoomType> types = new LinkedHashMap<>();
    private final Map<String, RoomCallbacks> callbacks = new LinkedHashMap<>();
    private final Map<String, Room> rooms = new LinkedHashMap<>();
    private final Map<String, List<JsonNode>> inbox = new LinkedHashMap<>();
    /** Sees every frame as it is delivered, on the delivering thread: for checks of what was true at that moment. */
    public volatile java.util.function.BiConsumer<String, JsonNode> onDeliver = (user, frame) -> { };

    private static final class Room {
        final RoomType type;
        final Instant createdAt;
        final Map<String, Participant> seats = new LinkedHashMap<>();

        Room(RoomType type, Instant createdAt) {
            this.type = type;
            this.createdAt = createdAt;
        }
    }

    public FakeRoomService(Clock clock) {
        this.clock = clock;
    }

    // ------------------------------------------------------------ what a client connection does

    /** A client's join; returns {@code joined} or the error code the client would get. */
    public String join(String roomId, String userId, String token) {
        RoomType type;
        RoomCallbacks cb;
        synchronized (this) {
            type = typeOf(roomId);
            cb = type == null ? null : callbacks.get(type.name());
        }
        if (cb == null) {
            return "unknown_room_type";
        }
        JoinDecision d = cb.onJoin(new JoinRequest(roomId, userId, token, new InetSocketAddress("127.0.0.1", 50000)));
        if (!d.accepted()) {
            deliver(userId, error(d.errorCode(), d.message()));
            return d.errorCode();
        }
        Participant p;
        synchronized (this) {
            Room room = rooms.computeIfAbsent(roomId, k -> new Room(type, clock.instant()));
            if (room.seats.size() >= type.maxUsers()) {
                deliver(userId, error("room_full", "the room is full"));
                return "room_full";
            }
            p = new Participant(userId, d.displayName() == null ? userId : d.displayName(), d.role(), clock.instant());
            for (String other : room.seats.keySet()) {
                deliver(other, frame("user_joined", roomId, userId));
            }
            room.seats.put(userId, p);
            deliver(userId, frame("joined", roomId, userId));
        }
        cb.onJoined(roomId, p);
        return "joined";
    }

    /**
     * A client's frame other than join/leave/ping/chat, as a host hands it on (the {@code RoomService}
     * contract): parsed once; not a JSON object with a string action gets {@code bad_request}; a frame naming
     * another room or user than the sender's seat gets the seat-check refusal and is not handed on.
     */
    public void send(String roomId, String userId, String json) {
        JsonNode frame;
        try {
            frame = JSON.readTree(json);
        } catch (java.io.IOException e) {
            frame = null;
        }
        if (!(frame instanceof ObjectNode obj) || !obj.path("action").isTextual()) {
            synchronized (this) {
                deliver(userId, error("bad_request", "frames must be JSON objects with an action"));
            }
            return;
        }
        Optional<RoomError> refused = RoomError.checkSeat(roomId, userId, member(obj, "room_id"),
                member(obj, "user_id"));
        if (refused.isPresent()) {
            synchronized (this) {
                deliver(userId, parse(refused.get().toJson()));
            }
            return;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        obj.properties().forEach(e -> {
            if (e.getValue().isTextual()) {
                fields.put(e.getKey(), e.getValue().textValue());
            }
        });
        sendRaw(new RoomMessage(roomId, userId, obj.get("action").textValue(), fields, json));
    }

    private static Object member(ObjectNode frame, String name) {
        JsonNode v = frame.get(name);
        return v == null || v.isNull() ? null : v.isTextual() ? v.textValue() : v;
    }

    /** Hands a message to the type's callbacks as is, without the host's checks. */
    public void sendRaw(RoomMessage m) {
        RoomCallbacks cb;
        synchronized (this) {
            Room room = rooms.get(m.roomId());
            if (room == null || !room.seats.containsKey(m.userId())) {
                throw new IllegalStateException(m.userId() + " is not seated in " + m.roomId());
            }
            cb = callbacks.get(room.type.name());
        }
        cb.onMessage(m);
    }

    /** Every frame the user was sent, oldest first. */
    public synchronized List<JsonNode> inbox(String userId) {
        return List.copyOf(inbox.getOrDefault(userId, List.of()));
    }

    /** The frames the user was sent with this action. */
    public synchronized List<JsonNode> received(String userId, String action) {
        return inbox(userId).stream().filter(f -> action.equals(f.path("action").asText())).toList();
    }

    public synchronized boolean seated(String roomId, String userId) {
        Room r = rooms.get(roomId);
        return r != null && r.seats.containsKey(userId);
    }

    // ------------------------------------------------------------ RoomService

    @Override
    public synchronized void registerCallbacks(RoomType type, RoomCallbacks cb) {
        if (callbacks.containsKey(type.name())) {
            throw new IllegalStateException(type.name() + " has callbacks already");
        }
        types.put(type.name(), type);
        callbacks.put(type.name(), cb);
    }

    @Override
    public void unregisterCallbacks(RoomType type) {
        List<String> ids;
        synchronized (this) {
            ids = rooms.entrySet().stream().filter(e -> e.getValue().type.equals(type)).map(Map.Entry::getKey).toList();
        }
        for (String id : ids) {
            closeRoom(id);
        }
        synchronized (this) {
            callbacks.remove(type.name());
            types.remove(type.name());
        }
    }

    @Override
    public synchronized boolean sendTo(String roomId, String userId, String json) {
        if (!seated(roomId, userId)) {
            return false;
        }
        deliver(userId, parse(json));
        return true;
    }

    @Override
    public synchronized int broadcast(String roomId, String json) {
        Room r = rooms.get(roomId);
        if (r == null) {
            return 0;
        }
        for (String u : r.seats.keySet()) {
            deliver(u, parse(json));
        }
        return r.seats.size();
    }

    @Override
    public boolean removeUser(String roomId, String userId, String json) {
        RoomCallbacks cb;
        boolean empty;
        synchronized (this) {
            Room r = rooms.get(roomId);
            if (r == null || !r.seats.containsKey(userId)) {
                return false;
            }
            if (!json.isEmpty()) {
                deliver(userId, parse(json));
            }
            r.seats.remove(userId);
            for (String u : r.seats.keySet()) {
                deliver(u, frame("user_left", roomId, userId));
            }
            empty = r.seats.isEmpty();
            if (empty) {
                rooms.remove(roomId);
            }
            cb = callbacks.get(r.type.name());
        }
        cb.onLeave(roomId, userId, LeaveReason.REMOVED);
        if (empty) {
            cb.onRoomClosed(roomId);
        }
        return true;
    }

    @Override
    public boolean closeRoom(String roomId) {
        Room r;
        RoomCallbacks cb;
        synchronized (this) {
            r = rooms.remove(roomId);
            if (r == null) {
                return false;
            }
            cb = callbacks.get(r.type.name());
        }
        for (String u : r.seats.keySet()) {
            cb.onLeave(roomId, u, LeaveReason.ROOM_CLOSED);
        }
        cb.onRoomClosed(roomId);
        return true;
    }

    @Override
    public synchronized Optional<RoomInfo> room(String roomId) {
        Room r = rooms.get(roomId);
        return r == null ? Optional.empty()
                : Optional.of(new RoomInfo(roomId, r.type, r.createdAt, new ArrayList<>(r.seats.values())));
    }

    @Override
    public synchronized List<RoomInfo> rooms(String prefix) {
        List<RoomInfo> out = new ArrayList<>();
        for (String id : rooms.keySet()) {
            if (id.startsWith(prefix)) {
                out.add(room(id).orElseThrow());
            }
        }
        return out;
    }

    // ------------------------------------------------------------ helpers

    private RoomType typeOf(String roomId) {
        for (RoomType t : types.values()) {
            if (t.owns(roomId)) {
                return t;
            }
        }
        return null;
    }

    private void deliver(String userId, JsonNode frame) {
        onDeliver.accept(userId, frame);
        inbox.computeIfAbsent(userId, k -> new ArrayList<>()).add(frame);
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException("the plugin sent a frame that is not JSON: " + json, e);
        }
    }

    private static JsonNode frame(String action, String roomId, String userId) {
        ObjectNode n = JSON.createObjectNode();
        n.put("action", action);
        n.put("room_id", roomId);
        n.put("user_id", userId);
        return n;
    }

    private static JsonNode error(String code, String message) {
        return parse(new RoomError(code, message).toJson());
    }
}
