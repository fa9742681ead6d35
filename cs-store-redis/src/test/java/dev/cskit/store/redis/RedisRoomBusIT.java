/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.store.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.api.room.LeaveReason;
import dev.cskit.api.room.Participant;
import dev.cskit.api.room.RoomBus;
import dev.cskit.api.room.RoomBus.Audience;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link RedisRoomBus} against a real {@code redis-server}: two nodes' buses on one Redis (heartbeat 100 ms, seats live
 * 400 ms after it), each with a recording {@link RoomBus.Receiver}. Claims and the cluster-wide seat limit, frames to
 * the nodes of the seats they name in one order, a seat taken over from another node, releases, reads, a node whose
 * heartbeat stops, and garbage on a node's channel.
 */
@Timeout(120)
class RedisRoomBusIT extends AgainstRedis {

    private static final String ROOM = "customer-service/cs_1";

    private final List<ScheduledExecutorService> schedulers = new ArrayList<>();

    /** What a node's host was told, one line per call, in order. */
    static final class Recorder implements RoomBus.Receiver {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final Set<String> rooms = new LinkedHashSet<>();
        final List<RoomBus.LocalSeat> seats = new CopyOnWriteArrayList<>();

        @Override
        public void deliver(String roomId, List<String> userIds, String json) {
            calls.add("deliver " + roomId + " " + userIds + " " + json);
        }

        @Override
        public void remove(String roomId, String userId, String json, LeaveReason reason) {
            calls.add("remove " + roomId + " " + userId + " " + json + " " + reason);
        }

        @Override
        public void replaced(String roomId, String userId, String json) {
            calls.add("replaced " + roomId + " " + userId + " " + json);
        }

        @Override
        public void expired(String roomId, String userId) {
            calls.add("expired " + roomId + " " + userId);
        }

        @Override
        public List<RoomBus.LocalSeat> localSeats() {
            return List.copyOf(seats);
        }

        @Override
        public synchronized Set<String> localRooms() {
            return new LinkedHashSet<>(rooms);
        }
    }

    private RedisRoomBus bus(String node, Recorder recorder) throws IOException {
        RedisRoomBus bus = RedisRoomBus.newBuilder(redis.uri(0)).nodeId(node)
                .heartbeat(Duration.ofMillis(100), Duration.ofMillis(400)).connect();
        closeLater(bus);
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor();
        schedulers.add(s);
        closeLater((AutoCloseable) s::shutdownNow);
        bus.start(recorder, s);
        return bus;
    }

    private static Participant user(String id, String role) {
        return new Participant(id, id.toUpperCase(java.util.Locale.ROOT), role, Instant.parse("2026-03-01T10:00:00Z"));
    }

    private static RoomBus.Claim claim(RoomBus bus, String userId, String role) throws IOException {
        return bus.claim(ROOM, "customer_service", 2, user(userId, role), "{\"joined\":\"" + userId + "\"}",
                "{\"replaced\":\"" + userId + "\"}");
    }

    @Test
    void seatsAreCountedAcrossNodesAndFramesReachTheNodesOfTheSeatsTheyNameInOrder() throws Exception {
        Recorder ra = new Recorder();
        Recorder rb = new Recorder();
        RedisRoomBus a = bus("node-a", ra);
        RedisRoomBus b = bus("node-b", rb);

        RoomBus.Claim first = claim(a, "cust", "customer");
        assertTrue(first.seated());
        assertEquals(List.of(user("cust", "customer")), first.participants());
        RoomBus.Claim second = claim(b, "agent", "agent");
        assertTrue(second.seated());
        assertEquals(Set.of(user("cust", "customer"), user("agent", "agent")), Set.copyOf(second.participants()));
        // user_joined went to the customer's node only.
        await("node a hears the agent join", () -> ra.calls.contains("deliver " + ROOM + " [cust] {\"joined\":\"agent\"}"));
        // The room seats 2 across the cluster: a third user on either node is refused and nobody hears of it.
        assertFalse(claim(a, "other", "agent").seated());
        assertFalse(claim(b, "other", "agent").seated());

        List<java.util.concurrent.CompletableFuture<Integer>> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sent.add((i % 2 == 0 ? a : b).send(ROOM, Audience.everyone(), "{\"n\":" + i + "}").toCompletableFuture());
        }
        for (var f : sent) {
            assertEquals(2, f.get());
        }
        assertEquals(1, b.send(ROOM, Audience.only("cust"), "{\"to\":\"cust\"}").toCompletableFuture().get());
        assertEquals(1, a.send(ROOM, Audience.allBut("cust"), "{\"to\":\"agent\"}").toCompletableFuture().get());
        assertEquals(0, a.send(ROOM, Audience.only("nobody"), "{}").toCompletableFuture().get());
        await("both nodes got every frame", () -> ra.calls.size() >= 22 && rb.calls.size() >= 21);
        // Two nodes sending at once: Redis orders their frames, and both parties see that one order.
        List<String> seenByA = ra.calls.subList(1, 21).stream().map(c -> c.replace("[cust]", "")).toList();
        List<String> seenByB = rb.calls.subList(0, 20).stream().map(c -> c.replace("[agent]", "")).toList();
        assertEquals(seenByA, seenByB);
        assertEquals(20, Set.copyOf(seenByA).size());
        assertEquals("deliver " + ROOM + " [cust] {\"to\":\"cust\"}", ra.calls.get(21));
        assertEquals("deliver " + ROOM + " [agent] {\"to\":\"agent\"}", rb.calls.get(20));
        assertEquals(22, ra.calls.size());
        assertEquals(21, rb.calls.size());

        RoomBus.SharedRoom room = a.room(ROOM).orElseThrow();
        assertEquals("customer_service", room.typeName());
        assertEquals(Set.of("cust", "agent"), Set.copyOf(room.participants().stream().map(Participant::userId).toList()));
        assertEquals(List.of(ROOM), b.rooms("customer-service/").stream().map(RoomBus.SharedRoom::roomId).toList());
        assertEquals(List.of(), b.rooms("agent/"));

        // The agent comes back on node a: node b is told its seat was taken over; the customer hears user_joined.
        ra.calls.clear();
        rb.calls.clear();
        assertTrue(claim(a, "agent", "agent").seated());
        await("node b hears of the takeover", () -> rb.calls.equals(List.of("replaced " + ROOM + " agent {\"replaced\":\"agent\"}")));
        await("the customer hears the agent join again", () -> ra.calls.equals(
                List.of("deliver " + ROOM + " [cust] {\"joined\":\"agent\"}")));
        b.release(ROOM, "agent", "{\"left\":\"agent\"}"); // no longer node b's seat: changes nothing
        assertEquals(2, a.room(ROOM).orElseThrow().participants().size());

        // Removing and closing go to the seats' node, in the room's order; releases tell the others and empty the room.
        ra.calls.clear();
        assertEquals(1, b.remove(ROOM, "agent", "{\"bye\":1}", LeaveReason.REMOVED).toCompletableFuture().get());
        assertEquals(2, b.remove(ROOM, null, "", LeaveReason.ROOM_CLOSED).toCompletableFuture().get());
        await("node a was told to take the seats", () -> ra.calls.size() == 3);
        assertEquals("remove " + ROOM + " agent {\"bye\":1} REMOVED", ra.calls.get(0));
        assertEquals(Set.of("remove " + ROOM + " cust  ROOM_CLOSED", "remove " + ROOM + " agent  ROOM_CLOSED"),
                Set.copyOf(ra.calls.subList(1, 3)));
        a.release(ROOM, "agent", "{\"left\":\"agent\"}");
        a.release(ROOM, "cust", "{\"left\":\"cust\"}");
        await("the room is gone", () -> {
            try {
                return b.room(ROOM).isEmpty();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        // Published before the room emptied, but delivered on node a's subscription thread: it may come after.
        await("the customer hears the agent leave", () -> ra.calls.contains("deliver " + ROOM + " [cust] {\"left\":\"agent\"}"));
    }

    @Test
    void aNodeWhoseHeartbeatStopsLosesItsSeatsAndTheOthersHearOfEachOnce() throws Exception {
        Recorder ra = new Recorder();
        Recorder rb = new Recorder();
        RedisRoomBus a = bus("node-a", ra);
        RedisRoomBus b = bus("node-b", rb);
        assertTrue(claim(a, "cust", "customer").seated());
        ra.rooms.add(ROOM);
        assertTrue(claim(b, "agent", "agent").seated());
        rb.rooms.add(ROOM);
        assertFalse(claim(a, "third", "agent").seated());

        schedulers.get(1).shutdownNow(); // node b's heartbeat stops, as if it were killed
        await("node a drops node b's seat", () -> ra.calls.contains("expired " + ROOM + " agent"));
        assertEquals(1, ra.calls.stream().filter(c -> c.startsWith("expired")).count());
        assertEquals(List.of("cust"), a.room(ROOM).orElseThrow().participants().stream().map(Participant::userId).toList());
        // The seat is free again: the agent rejoins on node a.
        assertTrue(claim(a, "agent", "agent").seated());
        assertEquals(2, a.room(ROOM).orElseThrow().participants().size());
    }

    @Test
    void aNodeWhoseLeaseLapsedTakesItsSeatsBackAndARestartedNodeDropsTheSeatsItHeldBefore() throws Exception {
        Recorder ra = new Recorder();
        Recorder rb = new Recorder();
        RedisRoomBus a = bus("node-a", ra);
        RedisRoomBus b = bus("node-b", rb);
        assertTrue(claim(a, "cust", "customer").seated());
        ra.rooms.add(ROOM);
        assertTrue(claim(b, "agent", "agent").seated());
        rb.rooms.add(ROOM);
        rb.seats.add(new RoomBus.LocalSeat(ROOM, "customer_service", user("agent", "agent"), "{\"back\":\"agent\"}"));
        await("node a hears the agent join", () -> ra.calls.size() == 1);

        try (RawRedis raw = raw()) {
            // As if node b had paused past its TTL: its heartbeat (on its one scheduler thread) waits, its lease is
            // gone, and node a drops its seat at once; then node b goes on.
            java.util.concurrent.CountDownLatch paused = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch resume = new java.util.concurrent.CountDownLatch(1);
            schedulers.get(1).execute(() -> {
                paused.countDown();
                try {
                    resume.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertTrue(paused.await(10, java.util.concurrent.TimeUnit.SECONDS));
            raw.sync.del("cskit:rooms:node:node-b");
            assertEquals(List.of("agent"), claim(a, "cust", "customer").expired());
            resume.countDown();
            await("node b takes its seat back and the customer hears of it", () -> ra.calls.contains(
                    "deliver " + ROOM + " [cust] {\"back\":\"agent\"}"));
            assertEquals(2, a.room(ROOM).orElseThrow().participants().size());

            // Node a restarts under its id before its seats expired: the new process drops them and tells the room.
            schedulers.get(0).shutdownNow(); // the old process's heartbeat stops; it is closed last, after the test
        }
        Recorder ra2 = new Recorder();
        RedisRoomBus a2 = bus("node-a", ra2);
        // The new process was told (its host then sends user_left to the room).
        assertEquals(List.of("expired " + ROOM + " cust"), ra2.calls);
        assertEquals(List.of("agent"), b.room(ROOM).orElseThrow().participants().stream().map(Participant::userId)
                .toList());

        // The agent's node dies and the agent rejoins on node a before anybody noticed: its own dead seat is taken
        // over (the others hear user_joined), not reported as a user who left.
        schedulers.get(1).shutdownNow();
        try (RawRedis raw = raw()) {
            raw.sync.del("cskit:rooms:node:node-b");
        }
        assertEquals(List.of(), claim(a2, "agent", "agent").expired());
    }

    @Test
    void garbageOnANodesChannelIsDroppedAndCountedAndLaterFramesStillArrive() throws Exception {
        Recorder ra = new Recorder();
        RedisRoomBus a = bus("node-a", ra);
        assertTrue(claim(a, "cust", "customer").seated());
        try (RawRedis raw = raw()) {
            String channel = "cskit:rooms:node:node-a:frames";
            for (String junk : List.of("", "not json", "[1,2]", "{\"k\":\"d\"}", "{\"k\":\"d\",\"r\":\"x\",\"u\":[],\"j\":\"{}\"}",
                    "{\"k\":\"d\",\"r\":\"x\",\"u\":[7],\"j\":\"{}\"}", "{\"k\":\"x\",\"r\":\"x\",\"u\":[\"a\"],\"j\":\"\",\"w\":\"nope\"}",
                    "{\"k\":\"z\",\"r\":\"x\",\"u\":[\"a\"],\"j\":\"\"}", "\u0000\u00ff")) {
                raw.sync.publish(channel, junk);
            }
        }
        a.send(ROOM, Audience.everyone(), "{\"after\":true}");
        await("the frame after the garbage arrives", () -> !ra.calls.isEmpty());
        assertEquals(List.of("deliver " + ROOM + " [cust] {\"after\":true}"), ra.calls);
        assertEquals(9, a.ignoredMessages());
    }
}
