/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.files;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cskit.api.room.Participant;
import dev.cskit.api.room.RoomInfo;
import dev.cskit.api.room.RoomService;
import dev.cskit.api.room.RoomType;
import dev.cskit.core.json.SessionJson;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Tells a call's room of a file sent into its chat: a {@code chat} frame, as a chat line is relayed, with a
 * {@code file} object, to everyone seated but the sender:
 * <pre>{@code {"action":"chat","room_id":"customer-service/cs_…","user_id":"cust_…","display_name":"Alice",
 *  "text":"sent a file: photo.png (1.2 MB)","ts":1700000000000,
 *  "file":{"id":"f_…","name":"photo.png","size":1234567,"content_type":"image/png",
 *          "url":"/customer-service/sessions/cs_…/files/f_…"}}}</pre>
 * A page that knows nothing of files shows the text. The {@code url} carries no token: each party adds its own.
 * Like chat, a party not in the room when the file is sent does not get the frame (the session's file list has it).
 * Thread-safe.
 */
public final class FileMessages {

    private final RoomService rooms;
    private final Clock clock;

    public FileMessages(RoomService rooms, Clock clock) {
        this.rooms = Objects.requireNonNull(rooms, "rooms");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The {@code file} object of the frame and of the upload's answer. */
    public static ObjectNode fileNode(StoredFile f) {
        ObjectNode n = SessionJson.MAPPER.createObjectNode();
        n.put("id", f.id());
        n.put("name", f.name());
        n.put("size", f.size());
        n.put("content_type", f.type().mediaType());
        n.put("url", f.path());
        return n;
    }

    /**
     * Sends the frame to the room's other users.
     *
     * @param displayName how the sender is shown
     * @return how many users it was sent to
     */
    public int announce(StoredFile f, String displayName) {
        String roomId = RoomType.CUSTOMER_SERVICE.roomId(f.sessionId());
        Optional<RoomInfo> room = rooms.room(roomId);
        if (room.isEmpty()) {
            return 0;
        }
        ObjectNode frame = SessionJson.MAPPER.createObjectNode();
        frame.put("action", "chat");
        frame.put("room_id", roomId);
        frame.put("user_id", f.senderId());
        frame.put("display_name", displayName);
        frame.put("text", "sent a file: " + f.name() + " (" + humanSize(f.size()) + ")");
        frame.put("ts", clock.millis());
        frame.set("file", fileNode(f));
        String json = frame.toString();
        int sent = 0;
        for (Participant p : room.get().participants()) {
            if (!p.userId().equals(f.senderId()) && rooms.sendTo(roomId, p.userId(), json)) {
                sent++;
            }
        }
        return sent;
    }

    /** {@code 812 B}, {@code 1.2 KB}, {@code 3.4 MB} (powers of 1000, as file managers show). */
    public static String humanSize(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double v = bytes;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
    }
}
