/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.media;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cskit.api.room.RoomService;
import dev.cskit.api.room.RoomType;
import dev.cskit.core.json.SessionJson;
import dev.cskit.media.whip.StreamKey;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which party of a call shares its screen now, and the room frame {@value #FRAME}
 * {@code {room_id, session_id, user_id, active, stream_path}} that tells the call's room when a share starts (its
 * WHIP resource was created) or stops (the resource was deleted, the network ended it, or its owner was transferred
 * away): the other party then plays {@code stream_path} with a second WHEP, or stops playing it. A party that takes
 * its seat while the other shares is told at once.
 *
 * <p>One publisher resource per screen stream: a second WHIP of the same stream replaces the first (the engine keeps
 * the players), so it starts nothing new, and the replaced resource's end stops nothing.
 *
 * <p>Thread-safe: called from HTTP threads (WHIP, DELETE), media loops (a resource the network ended), session
 * listeners (a transfer, the end) and room threads (a join); it only updates a concurrent map and sends frames.
 */
public final class ScreenShares {

    /** The room frame's action. */
    public static final String FRAME = "screen_share";

    private final RoomService rooms;
    /** Screen stream → the id of the WHIP resource that publishes it now. */
    private final Map<StreamKey, String> publishers = new ConcurrentHashMap<>();

    public ScreenShares(RoomService rooms) {
        this.rooms = Objects.requireNonNull(rooms, "rooms");
    }

    /** A screen stream's WHIP resource was created: the room hears {@code active: true} unless it replaced one. */
    public void started(StreamKey screen, String resourceId) {
        requireScreen(screen);
        if (publishers.put(screen, resourceId) == null) {
            rooms.broadcast(roomId(screen), frame(screen, true));
        }
    }

    /**
     * A resource ended. If it published a screen stream now, the room hears {@code active: false}.
     *
     * @return whether a screen share stopped
     */
    public boolean ended(StreamKey stream, String resourceId) {
        if (stream.source() != StreamKey.Source.SCREEN || !publishers.remove(stream, resourceId)) {
            return false;
        }
        rooms.broadcast(roomId(stream), frame(stream, false));
        return true;
    }

    /** Every resource of {@code userId} in the session was closed (it was transferred away): its share stopped. */
    public void endedBy(String sessionId, String userId) {
        StreamKey screen = new StreamKey(sessionId, userId, StreamKey.Source.SCREEN);
        String id = publishers.get(screen);
        if (id != null) {
            ended(screen, id);
        }
    }

    /** The call ended: its shares are forgotten (the room closes, nobody is told). */
    public void sessionEnded(String sessionId) {
        publishers.keySet().removeIf(k -> k.sessionId().equals(sessionId));
    }

    /** {@code userId} took its seat in the call's room: it hears of every share the other party has running. */
    public void joined(String sessionId, String userId) {
        for (StreamKey screen : active(sessionId)) {
            if (!screen.userId().equals(userId)) {
                rooms.sendTo(roomId(screen), userId, frame(screen, true));
            }
        }
    }

    /** The screen streams of the session that are published now. */
    public List<StreamKey> active(String sessionId) {
        return publishers.keySet().stream().filter(k -> k.sessionId().equals(sessionId)).toList();
    }

    private static void requireScreen(StreamKey stream) {
        if (stream.source() != StreamKey.Source.SCREEN) {
            throw new IllegalArgumentException("not a screen stream: " + stream);
        }
    }

    private static String roomId(StreamKey stream) {
        return RoomType.CUSTOMER_SERVICE.roomId(stream.sessionId());
    }

    private static String frame(StreamKey screen, boolean active) {
        ObjectNode f = SessionJson.MAPPER.createObjectNode();
        f.put("action", FRAME);
        f.put("room_id", roomId(screen));
        f.put("session_id", screen.sessionId());
        f.put("user_id", screen.userId());
        f.put("active", active);
        f.put("stream_path", StreamPaths.format(screen));
        return f.toString();
    }
}
