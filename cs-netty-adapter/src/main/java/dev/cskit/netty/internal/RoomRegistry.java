/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.room.JoinDecision;
import dev.cskit.api.room.JoinRequest;
import dev.cskit.api.room.LeaveReason;
import dev.cskit.api.room.Participant;
import dev.cskit.api.room.RoomBus;
import dev.cskit.api.room.RoomCallbacks;
import dev.cskit.api.room.RoomError;
import dev.cskit.api.room.RoomInfo;
import dev.cskit.api.room.RoomMessage;
import dev.cskit.api.room.RoomService;
import dev.cskit.api.room.RoomType;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's rooms: seats, the per-type seat limit, frames to seated users and callbacks into the plugin
 * that owns each {@link RoomType}.
 *
 * <p><b>Consistency:</b> every seat change happens under one lock, and the frames it causes
 * ({@code joined}, {@code user_joined}, {@code user_left}, ...) are queued on the channels under that same
 * lock, so every client sees the changes of a room in one order. The callbacks a change causes are posted
 * to the room's stripe of a {@link SerialStripes} under the lock and run after it is released: calls about
 * one room are never concurrent, arrive in the order of the changes, and a callback that calls back into
 * this service never recurses into itself. The stripes run on the host's room pool, not on the event
 * loops, so a callback may block briefly (the plugin writes its journal there); the plugin needs no
 * serializer of its own. Before {@code onMessage} the frame passes the seat check of the
 * {@link RoomService} contract ({@link RoomError#checkSeat}). {@link RoomCallbacks#onJoin} runs on the room's stripe too,
 * before the seat is taken; the seat limit is checked again under the lock afterwards, so a refused or
 * surplus joiner never holds a seat.
 *
 * <p>Thread-safe; no method blocks on the network. Unsupported API: use it through {@link RoomService}.
 */
public final class RoomRegistry implements RoomService {

    private static final Logger LOG = LoggerFactory.getLogger(RoomRegistry.class);

    /** Longest user id or room id a client may send. */
    static final int MAX_ID_LENGTH = 256;

    private final Object lock = new Object();
    private final Map<String, LocalRoom.TypeEntry> types = new HashMap<>();
    private final Map<String, LocalRoom> rooms = new HashMap<>();
    private final SerialStripes stripes;
    private final Clock clock;
    private @Nullable ClusterRooms cluster;

    public RoomRegistry(SerialStripes stripes, Clock clock) {
        this.stripes = Objects.requireNonNull(stripes, "stripes");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Shares the rooms with the other nodes of a cluster through {@code bus} ({@link ClusterRooms}); call before
     * the host serves. The bus starts with {@link #startCluster}.
     */
    public void cluster(RoomBus bus) {
        this.cluster = new ClusterRooms(this, bus, stripes);
    }

    /** Starts the cluster's bus, if any, its heartbeat on {@code scheduler}. */
    public void startCluster(java.util.concurrent.ScheduledExecutorService scheduler) throws java.io.IOException {
        if (cluster != null) {
            cluster.start(scheduler);
        }
    }

    // ---------------------------------------------------------------- RoomService

    @Override
    public void registerCallbacks(RoomType type, RoomCallbacks callbacks) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(callbacks, "callbacks");
        synchronized (lock) {
            if (types.containsKey(type.name())) {
                throw new IllegalStateException("room type '" + type.name() + "' already has callbacks; "
                        + "unregister them first");
            }
            types.put(type.name(), new LocalRoom.TypeEntry(type, callbacks));
        }
    }

    @Override
    public void unregisterCallbacks(RoomType type) {
        Set<String> touched = new LinkedHashSet<>();
        synchronized (lock) {
            LocalRoom.TypeEntry entry = types.get(type.name());
            if (entry == null || !entry.type.equals(type)) {
                return;
            }
            types.remove(type.name());
            for (LocalRoom room : new ArrayList<>(rooms.values())) {
                if (room.type == entry) {
                    closeLocked(room, LeaveReason.SHUTDOWN);
                    touched.add(room.id);
                }
            }
        }
        touched.forEach(stripes::kick);
    }

    @Override
    public boolean sendTo(String roomId, String userId, String json) {
        Objects.requireNonNull(json, "json");
        if (cluster != null) {
            return cluster.sendTo(roomId, userId, json);
        }
        synchronized (lock) {
            LocalRoom room = rooms.get(roomId);
            LocalRoom.Seat seat = room == null ? null : room.seats.get(userId);
            if (seat == null) {
                return false;
            }
            seat.connection.send(json);
            return true;
        }
    }

    @Override
    public int broadcast(String roomId, String json) {
        Objects.requireNonNull(json, "json");
        if (cluster != null) {
            return cluster.broadcast(roomId, json);
        }
        synchronized (lock) {
            LocalRoom room = rooms.get(roomId);
            if (room == null) {
                return 0;
            }
            room.seats.values().forEach(s -> s.connection.send(json));
            return room.seats.size();
        }
    }

    @Override
    public boolean removeUser(String roomId, String userId, String json) {
        Objects.requireNonNull(json, "json");
        if (cluster != null) {
            return cluster.removeUser(roomId, userId, json);
        }
        synchronized (lock) {
            LocalRoom room = rooms.get(roomId);
            LocalRoom.Seat seat = room == null ? null : room.seats.get(userId);
            if (seat == null) {
                return false;
            }
            if (!json.isEmpty()) {
                seat.connection.send(json);
            }
            unseatLocked(room, userId, LeaveReason.REMOVED);
        }
        stripes.kick(roomId);
        return true;
    }

    @Override
    public boolean closeRoom(String roomId) {
        if (cluster != null) {
            return cluster.closeRoom(roomId);
        }
        synchronized (lock) {
            LocalRoom room = rooms.get(roomId);
            if (room == null) {
                return false;
            }
            closeLocked(room, LeaveReason.ROOM_CLOSED);
        }
        stripes.kick(roomId);
        return true;
    }

    @Override
    public Optional<RoomInfo> room(String roomId) {
        if (cluster != null) {
            return cluster.room(roomId);
        }
        synchronized (lock) {
            LocalRoom room = rooms.get(roomId);
            return room == null ? Optional.empty() : Optional.of(infoLocked(room));
        }
    }

    @Override
    public List<RoomInfo> rooms(String prefix) {
        if (cluster != null) {
            return cluster.rooms(prefix);
        }
        synchronized (lock) {
            List<RoomInfo> out = new ArrayList<>();
            for (LocalRoom room : rooms.values()) {
                if (room.id.startsWith(prefix)) {
                    out.add(infoLocked(room));
                }
            }
            out.sort((a, b) -> a.roomId().compareTo(b.roomId()));
            return out;
        }
    }

    // ---------------------------------------------------------------- host side

    /** Whether clients may open a room socket with {@code ?type=name}. */
    public boolean hasType(String name) {
        synchronized (lock) {
            return types.containsKey(name);
        }
    }

    /** The names of the joinable types, for error messages. */
    public List<String> typeNames() {
        synchronized (lock) {
            return new ArrayList<>(types.keySet());
        }
    }

    /** Handles a {@code join} frame; the answer (joined or error) is sent to {@code conn} later. */
    public void join(RoomConnection conn, String roomId, String userId, @Nullable String token) {
        LocalRoom.TypeEntry entry;
        synchronized (lock) {
            entry = types.get(conn.typeName());
            if (entry == null) {
                conn.send(errorFrame("bad_request", "room type '" + conn.typeName() + "' is not available any more"));
                return;
            }
            if (!entry.type.owns(roomId)) {
                conn.send(errorFrame("bad_request", "room_id must start with '" + entry.type.roomIdPrefix()
                        + "' for rooms of type " + entry.type.name()));
                return;
            }
            if (conn.roomId != null || conn.joinPending) {
                conn.send(errorFrame("already_joined", "this connection already holds a seat in "
                        + (conn.roomId != null ? conn.roomId : "another room") + "; leave first"));
                return;
            }
            conn.joinPending = true;
            final LocalRoom.TypeEntry e = entry;
            JoinRequest request = new JoinRequest(roomId, userId, token, conn.remoteAddress());
            stripes.post(roomId, () -> completeJoin(conn, e, request));
        }
        stripes.kick(roomId);
    }

    private void completeJoin(RoomConnection conn, LocalRoom.TypeEntry entry, JoinRequest request) {
        JoinDecision decision;
        try {
            decision = Objects.requireNonNull(entry.callbacks.onJoin(request), "onJoin returned null");
        } catch (Throwable t) {
            LOG.error("onJoin of room type {} failed for room {}", entry.type.name(), request.roomId(), t);
            decision = JoinDecision.refuse("internal_error", "the server could not decide on the join; try again");
        }
        String roomId = request.roomId();
        String userId = request.userId();
        Instant now = clock.instant();
        Participant p = new Participant(userId, decision.displayName() != null ? decision.displayName() : userId,
                decision.accepted() ? decision.role() : "none", now);
        // In a cluster the seat is claimed in the bus first (waiting for it, on this stripe); null: refused, told.
        RoomBus.Claim claim = cluster == null || !decision.accepted() ? null
                : cluster.claim(conn, roomId, entry.type, p);
        synchronized (lock) {
            conn.joinPending = false;
            if (!decision.accepted()) {
                conn.send(errorFrame(decision.errorCode(), decision.message()));
                return;
            }
            if (cluster != null && (claim == null || !claim.seated() || conn.closed
                    || types.get(entry.type.name()) != entry)) {
                cluster.unclaimed(conn, roomId, entry.type, p, claim);
                return;
            }
            if (conn.closed) {
                return;
            }
            if (types.get(entry.type.name()) != entry) {
                conn.send(errorFrame("bad_request", "room type '" + entry.type.name() + "' is not available any more"));
                return;
            }
            LocalRoom room = rooms.get(roomId);
            LocalRoom.Seat previous = room == null ? null : room.seats.get(userId);
            if (cluster == null && previous == null && room != null && room.seats.size() >= entry.type.maxUsers()) {
                conn.send(errorFrame("room_full", HostFrames.fullMessage(roomId, entry.type.maxUsers())));
                return;
            }
            if (room == null) {
                room = new LocalRoom(roomId, entry, now);
                rooms.put(roomId, room);
            }
            if (previous != null) {
                // A reconnect: the new connection takes the seat over; the others see user_joined again.
                room.seats.remove(userId);
                previous.connection.roomId = null;
                previous.connection.userId = null;
                previous.connection.send(HostFrames.replaced(roomId, userId));
            }
            room.seats.put(userId, new LocalRoom.Seat(p, conn));
            conn.roomId = roomId;
            conn.userId = userId;

            conn.send(HostFrames.joined(roomId, userId, claim != null ? claim.participants()
                    : room.seats.values().stream().map(s -> s.participant).toList()));
            if (cluster != null) {
                cluster.seatedLocked(room, conn, claim); // the frames that came while claiming; the expired seats
            } else {
                String announceText = HostFrames.userJoined(roomId, p);
                for (LocalRoom.Seat s : room.seats.values()) {
                    if (s.connection != conn) {
                        s.connection.send(announceText);
                    }
                }
            }
            RoomCallbacks cb = entry.callbacks;
            stripes.post(roomId, () -> safely(entry, "onJoined", roomId, () -> cb.onJoined(roomId, p)));
        }
        // Already on the room's stripe: the posted onJoined runs after this task returns.
    }

    /** Handles a {@code leave} frame; false if the connection holds no seat. */
    public boolean leave(RoomConnection conn) {
        String roomId;
        synchronized (lock) {
            roomId = conn.roomId;
            if (roomId == null) {
                return false;
            }
            unseatLocked(rooms.get(roomId), conn.userId, LeaveReason.LEFT);
        }
        stripes.kick(roomId);
        return true;
    }

    /** The connection is gone (closed or timed out): free its seat; later joins it started are dropped. */
    public void disconnected(RoomConnection conn, LeaveReason reason) {
        String roomId;
        synchronized (lock) {
            conn.closed = true;
            roomId = conn.roomId;
            if (roomId == null) {
                return;
            }
            unseatLocked(rooms.get(roomId), conn.userId, reason);
        }
        stripes.kick(roomId);
    }

    /** Handles a {@code chat} frame: relays it to the other users; false if the connection holds no seat. */
    public boolean chat(RoomConnection conn, String text) {
        synchronized (lock) {
            if (conn.roomId == null) {
                return false;
            }
            LocalRoom room = rooms.get(conn.roomId);
            LocalRoom.Seat self = room.seats.get(conn.userId);
            String frame = HostFrames.chat(room.id, conn.userId, self.participant.displayName(), text, clock.millis());
            if (cluster != null) {
                cluster.toOthers(room.id, conn.userId, frame);
                return true;
            }
            for (LocalRoom.Seat s : room.seats.values()) {
                if (s.connection != conn) {
                    s.connection.send(frame);
                }
            }
            return true;
        }
    }

    /**
     * Hands any other action to the type's {@code onMessage}, after the seat check of the {@link RoomService}
     * contract: a frame naming another room or user gets the {@link RoomError#checkSeat} refusal instead.
     *
     * @param frame the parsed frame, whose string members become {@link RoomMessage#fields()}
     * @param json  the frame's text, handed on as {@link RoomMessage#json()}
     * @return false if the connection holds no seat
     */
    public boolean message(RoomConnection conn, String action, ObjectNode frame, String json) {
        String roomId;
        synchronized (lock) {
            roomId = conn.roomId;
            if (roomId == null) {
                return false;
            }
            String userId = conn.userId;
            Optional<RoomError> refused = RoomError.checkSeat(roomId, userId, HostFrames.member(frame, "room_id"),
                    HostFrames.member(frame, "user_id"));
            if (refused.isPresent()) {
                conn.send(refused.get().toJson());
                return true;
            }
            LocalRoom room = rooms.get(roomId);
            RoomMessage msg = new RoomMessage(roomId, userId, action, HostFrames.stringFields(frame), json);
            RoomCallbacks cb = room.type.callbacks;
            stripes.post(roomId, () -> {
                try {
                    cb.onMessage(msg);
                } catch (Throwable t) {
                    LOG.error("onMessage of room {} failed for action {}", msg.roomId(), msg.action(), t);
                    conn.send(new RoomError("internal_error", "the server failed to handle '" + msg.action() + "'")
                            .toJson());
                }
            });
        }
        stripes.kick(roomId);
        return true;
    }

    /** Closes every room with {@link LeaveReason#SHUTDOWN}, forgets every type, closes the cluster's bus (host shutdown). */
    public void shutdown() {
        List<RoomType> all;
        synchronized (lock) {
            all = types.values().stream().map(e -> e.type).toList();
        }
        all.forEach(this::unregisterCallbacks);
        if (cluster != null) {
            cluster.close();
        }
    }

    // ---------------------------------------------------------------- under the lock

    private void unseatLocked(LocalRoom room, String userId, LeaveReason reason) {
        unseatLocked(room, userId, reason, true);
    }

    /** Frees a seat here; {@code tell}: the room's others get {@code user_left} (in a cluster, the seat is released). */
    void unseatLocked(LocalRoom room, String userId, LeaveReason reason, boolean tell) {
        LocalRoom.Seat seat = room.seats.remove(userId);
        if (seat == null) {
            return;
        }
        seat.connection.roomId = null;
        seat.connection.userId = null;
        String frame = HostFrames.userLeft(room.id, userId, reason);
        if (cluster != null && tell) {
            cluster.release(room.id, userId, frame);
        } else if (tell) {
            room.seats.values().forEach(s -> s.connection.send(frame));
        }
        RoomCallbacks cb = room.type.callbacks;
        String roomId = room.id;
        stripes.post(roomId, () -> safely(room.type, "onLeave", roomId, () -> cb.onLeave(roomId, userId, reason)));
        if (room.seats.isEmpty()) {
            rooms.remove(roomId);
            stripes.post(roomId, () -> safely(room.type, "onRoomClosed", roomId, () -> cb.onRoomClosed(roomId)));
        }
    }

    private void closeLocked(LocalRoom room, LeaveReason reason) {
        for (String userId : new ArrayList<>(room.seats.keySet())) {
            unseatLocked(room, userId, reason);
        }
    }

    /** The registry's lock, and its rooms (guarded by it), for {@link ClusterRooms}. */
    Object lock() {
        return lock;
    }

    Map<String, LocalRoom> roomsLocked() {
        return rooms;
    }

    @Nullable LocalRoom.TypeEntry typeLocked(String name) {
        return types.get(name);
    }

    private static RoomInfo infoLocked(LocalRoom room) {
        List<Participant> ps = room.seats.values().stream().map(s -> s.participant).toList();
        return new RoomInfo(room.id, room.type.type, room.createdAt, ps);
    }

    private static void safely(LocalRoom.TypeEntry type, String what, String roomId, Runnable call) {
        try {
            call.run();
        } catch (Throwable t) {
            LOG.error("{} of room type {} failed for room {}", what, type.type.name(), roomId, t);
        }
    }

    private static String errorFrame(String code, String message) {
        return HostFrames.error(code, message);
    }
}
