/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty.internal;

import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.room.LeaveReason;
import dev.cskit.api.room.Participant;
import dev.cskit.api.room.RoomBus;
import dev.cskit.api.room.RoomBus.Audience;
import dev.cskit.api.room.RoomInfo;
import dev.cskit.api.room.RoomType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link RoomRegistry}'s side of a {@link RoomBus}: rooms shared by the nodes of a cluster.
 *
 * <p>A join claims its seat in the bus first (on the room's stripe, waiting for the answer), so the seat limit holds
 * across the cluster; the claim also sends {@code user_joined} to the room's other seats. Every frame meant for a
 * room's seats ({@code chat}, {@code user_left}, the plugin's {@code broadcast}/{@code sendTo}, and the seats
 * {@code removeUser}/{@code closeRoom} take) goes through the bus, this node's own seats included: each party sees
 * the frames of a room in the one order the bus gives them. Frames that reach a user whose claim is still under way
 * wait for its {@code joined}. Only the answers to one connection ({@code joined}, errors, {@code replaced} on the
 * same node) go to it directly.
 *
 * <p>{@code room}/{@code rooms} read the bus (every node's seats); while it cannot be read they answer this node's
 * seats. {@code sendTo}, {@code removeUser} and {@code closeRoom} know at once about this node's seats; about
 * another node's they wait for the bus's count (up to {@link #ANSWER_WAIT}). {@code broadcast} answers how many of
 * the room's seats are on this node, without waiting.
 *
 * <p>Thread-safe: the registry's lock guards the seats and the frames waiting for a claim.
 */
final class ClusterRooms implements RoomBus.Receiver {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterRooms.class);

    /** How long {@code sendTo}, {@code removeUser} and {@code closeRoom} wait for the bus about another node's seats. */
    static final long ANSWER_WAIT = TimeUnit.SECONDS.toMillis(2);

    private final RoomRegistry registry;
    private final RoomBus bus;
    private final SerialStripes stripes;
    /** Frames for users whose claim is under way, by room and user; guarded by the registry's lock. */
    private final Map<String, List<String>> claiming = new HashMap<>();
    private final AtomicBoolean unreadable = new AtomicBoolean();

    ClusterRooms(RoomRegistry registry, RoomBus bus, SerialStripes stripes) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.bus = Objects.requireNonNull(bus, "bus");
        this.stripes = Objects.requireNonNull(stripes, "stripes");
    }

    void start(ScheduledExecutorService scheduler) throws IOException {
        bus.start(this, scheduler);
    }

    void close() {
        bus.close();
    }

    private static String key(String roomId, String userId) {
        return roomId + '\n' + userId;
    }

    // ---------------------------------------------------------------- joins

    /** Claims the seat, waiting for the bus; null if it cannot be reached (the connection is told). */
    @Nullable RoomBus.Claim claim(RoomConnection conn, String roomId, RoomType type, Participant p) {
        synchronized (registry.lock()) {
            claiming.put(key(roomId, p.userId()), new ArrayList<>());
        }
        try {
            return bus.claim(roomId, type.name(), type.maxUsers(), p, HostFrames.userJoined(roomId, p),
                    HostFrames.replaced(roomId, p.userId()));
        } catch (IOException | RuntimeException e) {
            LOG.debug("seat claim in the cluster failed", e);
            conn.send(HostFrames.error("internal_error", "the cluster's room store cannot be reached; try again"));
            return null;
        }
    }

    /** A claim that will not be seated here (refused, failed, or its connection or type went meanwhile). */
    void unclaimed(RoomConnection conn, String roomId, RoomType type, Participant p, @Nullable RoomBus.Claim claim) {
        claiming.remove(key(roomId, p.userId()));
        if (claim == null) {
            return;
        }
        tellExpired(roomId, claim.expired());
        if (!claim.seated()) {
            conn.send(HostFrames.error("room_full", HostFrames.fullMessage(roomId, type.maxUsers())));
            return;
        }
        bus.release(roomId, p.userId(), HostFrames.userLeft(roomId, p.userId(), LeaveReason.DISCONNECTED));
        if (!conn.closed) {
            conn.send(HostFrames.error("bad_request", "room type '" + type.name() + "' is not available any more"));
        }
    }

    /** The claimed seat is taken here: the frames that came for it meanwhile follow its {@code joined}. */
    void seatedLocked(LocalRoom room, RoomConnection conn, RoomBus.Claim claim) {
        List<String> early = claiming.remove(key(room.id, conn.userId));
        if (early != null) {
            early.forEach(conn::send);
        }
        tellExpired(room.id, claim.expired());
    }

    private void tellExpired(String roomId, List<String> users) {
        users.forEach(u -> expired(roomId, u));
    }

    // ---------------------------------------------------------------- frames from this node

    void toOthers(String roomId, String userId, String json) {
        bus.send(roomId, Audience.allBut(userId), json);
    }

    void release(String roomId, String userId, String leftJson) {
        bus.release(roomId, userId, leftJson);
    }

    int broadcast(String roomId, String json) {
        bus.send(roomId, Audience.everyone(), json);
        synchronized (registry.lock()) {
            LocalRoom room = registry.roomsLocked().get(roomId);
            return room == null ? 0 : room.seats.size();
        }
    }

    boolean sendTo(String roomId, String userId, String json) {
        CompletionStage<Integer> sent = bus.send(roomId, Audience.only(userId), json);
        return seatedHere(roomId, userId) || answer(sent) > 0;
    }

    boolean removeUser(String roomId, String userId, String json) {
        CompletionStage<Integer> removed = bus.remove(roomId, userId, json, LeaveReason.REMOVED);
        return seatedHere(roomId, userId) || answer(removed) > 0;
    }

    boolean closeRoom(String roomId) {
        CompletionStage<Integer> closed = bus.remove(roomId, null, "", LeaveReason.ROOM_CLOSED);
        boolean here;
        synchronized (registry.lock()) {
            here = registry.roomsLocked().containsKey(roomId);
        }
        return here || answer(closed) > 0;
    }

    private boolean seatedHere(String roomId, String userId) {
        synchronized (registry.lock()) {
            LocalRoom room = registry.roomsLocked().get(roomId);
            return room != null && room.seats.containsKey(userId);
        }
    }

    private static int answer(CompletionStage<Integer> count) {
        try {
            return count.toCompletableFuture().get(ANSWER_WAIT, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } catch (ExecutionException | TimeoutException e) {
            return 0;
        }
    }

    // ---------------------------------------------------------------- reads

    Optional<RoomInfo> room(String roomId) {
        try {
            return bus.room(roomId).flatMap(this::info);
        } catch (IOException e) {
            return local(roomId).stream().findFirst();
        }
    }

    List<RoomInfo> rooms(String prefix) {
        try {
            List<RoomInfo> out = new ArrayList<>();
            for (RoomBus.SharedRoom r : bus.rooms(prefix)) {
                info(r).ifPresent(out::add);
            }
            out.sort((a, b) -> a.roomId().compareTo(b.roomId()));
            unreadable.set(false);
            return out;
        } catch (IOException e) {
            if (unreadable.compareAndSet(false, true)) {
                LOG.warn("the cluster's rooms cannot be read ({}); answering this node's until they can", e.getMessage());
            }
            return local(prefix);
        }
    }

    private Optional<RoomInfo> info(RoomBus.SharedRoom r) {
        synchronized (registry.lock()) {
            LocalRoom.TypeEntry type = registry.typeLocked(r.typeName());
            return type == null ? Optional.empty()
                    : Optional.of(new RoomInfo(r.roomId(), type.type, r.createdAt(), r.participants()));
        }
    }

    private List<RoomInfo> local(String prefix) {
        synchronized (registry.lock()) {
            List<RoomInfo> out = new ArrayList<>();
            for (LocalRoom room : registry.roomsLocked().values()) {
                if (room.id.startsWith(prefix)) {
                    out.add(new RoomInfo(room.id, room.type.type, room.createdAt,
                            room.seats.values().stream().map(s -> s.participant).toList()));
                }
            }
            return out;
        }
    }

    // ---------------------------------------------------------------- RoomBus.Receiver

    @Override
    public void deliver(String roomId, List<String> userIds, String json) {
        synchronized (registry.lock()) {
            LocalRoom room = registry.roomsLocked().get(roomId);
            for (String userId : userIds) {
                LocalRoom.Seat seat = room == null ? null : room.seats.get(userId);
                if (seat != null) {
                    seat.connection.send(json);
                } else {
                    List<String> early = claiming.get(key(roomId, userId));
                    if (early != null) {
                        early.add(json);
                    }
                }
            }
        }
    }

    @Override
    public void remove(String roomId, String userId, String json, LeaveReason reason) {
        unseat(roomId, userId, json, reason, true);
    }

    @Override
    public void replaced(String roomId, String userId, String json) {
        unseat(roomId, userId, json, LeaveReason.REMOVED, false);
    }

    private void unseat(String roomId, String userId, String json, LeaveReason reason, boolean tell) {
        synchronized (registry.lock()) {
            LocalRoom room = registry.roomsLocked().get(roomId);
            LocalRoom.Seat seat = room == null ? null : room.seats.get(userId);
            if (seat == null) {
                return;
            }
            if (!json.isEmpty()) {
                seat.connection.send(json);
            }
            registry.unseatLocked(room, userId, reason, tell);
        }
        stripes.kick(roomId);
    }

    @Override
    public void expired(String roomId, String userId) {
        bus.send(roomId, Audience.everyone(), HostFrames.userLeft(roomId, userId, LeaveReason.TIMED_OUT));
    }

    @Override
    public List<RoomBus.LocalSeat> localSeats() {
        synchronized (registry.lock()) {
            List<RoomBus.LocalSeat> out = new ArrayList<>();
            for (LocalRoom room : registry.roomsLocked().values()) {
                for (LocalRoom.Seat seat : room.seats.values()) {
                    out.add(new RoomBus.LocalSeat(room.id, room.type.type.name(), seat.participant,
                            HostFrames.userJoined(room.id, seat.participant)));
                }
            }
            return out;
        }
    }

    @Override
    public Set<String> localRooms() {
        synchronized (registry.lock()) {
            return new LinkedHashSet<>(registry.roomsLocked().keySet());
        }
    }
}
