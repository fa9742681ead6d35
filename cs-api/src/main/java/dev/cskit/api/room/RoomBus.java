/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.room;

import dev.cskit.api.annotation.Nullable;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Rooms shared by the hosts of a cluster: the seats of every node in one place, and the frames to seats on any
 * node. A host given a bus (e.g. {@code NettyHostBuilder.roomBus}) claims each seat here before it seats a user,
 * and sends every frame meant for a room's seats through it, its own seats' included, so that each party sees the
 * frames of a room in the one order the bus gives them. The host still owns its connections: the bus hands it
 * what reaches its seats through a {@link Receiver}.
 *
 * <p>A seat belongs to the node that claimed it, and lives while that node's heartbeat does; a seat of a node that
 * stopped beating is dropped by the next node that looks at the room, and that node tells the others
 * ({@link Receiver#expired}). A node that starts drops the seats its id held before; a node whose heartbeat had
 * lapsed takes its seats back ({@link Receiver#localSeats}) where nobody took them meanwhile.
 *
 * <p><b>Threading:</b> thread-safe. {@link #claim}, {@link #room} and {@link #rooms} wait for the network (up to
 * the bus's timeout); the other calls only queue their work, in call order: two calls made one after the other
 * from one thread reach every node in that order.
 */
public interface RoomBus extends AutoCloseable {

    /**
     * Starts the heartbeat (on {@code scheduler}) and the delivery of frames to {@code receiver}.
     *
     * @throws IOException if the bus cannot be reached
     */
    void start(Receiver receiver, ScheduledExecutorService scheduler) throws IOException;

    /**
     * Takes a seat for this node, atomically: unless the user already holds a seat in the room, refused when the
     * room's live seats are {@code maxUsers} already. A seat the user held on another node is taken over, and
     * that node gets {@link Receiver#replaced} with {@code replacedJson}. The room's other seats get
     * {@code announceJson}.
     *
     * @throws IOException if the bus cannot be reached (nothing is claimed then)
     */
    Claim claim(String roomId, String typeName, int maxUsers, Participant participant, String announceJson,
                String replacedJson) throws IOException;

    /** Gives up this node's seat of the user, if it still holds it; the room's other seats get {@code leftJson}. */
    void release(String roomId, String userId, String leftJson);

    /** Sends a frame to the seats of a room that {@code audience} names, on whichever node; completes with how many. */
    CompletionStage<Integer> send(String roomId, Audience audience, String json);

    /**
     * Takes seats of a room: the node of each gets {@link Receiver#remove} (with {@code json} and {@code reason})
     * in its turn among the room's frames; completes with how many seats it names.
     *
     * @param userId the one user, or null for every seat (closing the room)
     */
    CompletionStage<Integer> remove(String roomId, @Nullable String userId, String json, LeaveReason reason);

    /** The room's live seats, if it has any. */
    Optional<SharedRoom> room(String roomId) throws IOException;

    /** Every room with live seats whose id starts with {@code prefix}. */
    List<SharedRoom> rooms(String prefix) throws IOException;

    /** Stops the heartbeat and the deliveries; this node's seats then expire with its heartbeat. */
    @Override
    void close();

    /** Who a frame is for: every seat, one user, or every seat but one user's. */
    record Audience(@Nullable String only, @Nullable String except) {
        private static final Audience EVERYONE = new Audience(null, null);

        public Audience {
            if (only != null && except != null) {
                throw new IllegalArgumentException("an audience is one user or all but one, not both");
            }
        }

        public static Audience everyone() {
            return EVERYONE;
        }

        public static Audience only(String userId) {
            return new Audience(Objects.requireNonNull(userId, "userId"), null);
        }

        public static Audience allBut(String userId) {
            return new Audience(null, Objects.requireNonNull(userId, "userId"));
        }

        /** Whether a seat of {@code userId} hears it. */
        public boolean includes(String userId) {
            return only != null ? only.equals(userId) : !userId.equals(except);
        }
    }

    /**
     * What a {@link #claim} got.
     *
     * @param seated       whether the seat is this node's now (false: the room was full)
     * @param participants the room's seats after the claim, every node's (empty when not seated)
     * @param expired      users whose seats of dead nodes the claim dropped (the caller tells the room)
     */
    record Claim(boolean seated, List<Participant> participants, List<String> expired) {
        public Claim {
            participants = List.copyOf(participants);
            expired = List.copyOf(expired);
        }
    }

    /** A room as the bus holds it: every node's live seats. */
    record SharedRoom(String roomId, String typeName, Instant createdAt, List<Participant> participants) {
        public SharedRoom {
            Objects.requireNonNull(roomId, "roomId");
            Objects.requireNonNull(typeName, "typeName");
            Objects.requireNonNull(createdAt, "createdAt");
            participants = List.copyOf(participants);
        }
    }

    /** The host's side: what reaches its seats. Called on the bus's thread, one call at a time, in order. */
    interface Receiver {
        /** Sends {@code json} to these users' seats on this node (those still seated). */
        void deliver(String roomId, List<String> userIds, String json);

        /** Takes this node's seat of the user as {@link RoomService#removeUser} does, {@code json} first if not empty. */
        void remove(String roomId, String userId, String json, LeaveReason reason);

        /** The user's seat was taken over from another node: sends {@code json}, then drops the seat without a word to the room. */
        void replaced(String roomId, String userId, String json);

        /** A dead node's seat was dropped: tell the room's seats that the user left. */
        void expired(String roomId, String userId);

        /** The rooms this node holds seats in, whose seats the heartbeat looks after. */
        Set<String> localRooms();

        /** This node's seats, for a bus that lost them (its heartbeat lapsed) to take them back. */
        List<LocalSeat> localSeats();
    }

    /** A seat this node holds, and the {@code user_joined} frame the room's others get if the bus takes it back. */
    record LocalSeat(String roomId, String typeName, Participant participant, String announceJson) {
        public LocalSeat {
            Objects.requireNonNull(roomId, "roomId");
            Objects.requireNonNull(typeName, "typeName");
            Objects.requireNonNull(participant, "participant");
            Objects.requireNonNull(announceJson, "announceJson");
        }
    }
}
