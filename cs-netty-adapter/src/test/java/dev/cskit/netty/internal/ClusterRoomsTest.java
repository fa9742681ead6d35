/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.room.LeaveReason;
import dev.cskit.api.room.Participant;
import dev.cskit.api.room.RoomBus;
import dev.cskit.netty.stats.HostCounters;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link RoomRegistry} with a {@link RoomBus} ({@link ClusterRooms}), on in-memory channels and a scripted bus:
 * seats are claimed in the bus, frames to seats go through it (this node's own too), frames for a user whose claim is
 * under way follow its {@code joined}, and what the bus tells the node (remove, replaced) acts on the local seat.
 */
class ClusterRoomsTest {

    /** A bus that seats what it is told to, records what it is asked, and delivers only when the test says. */
    static final class ScriptedBus implements RoomBus {
        final List<String> calls = new ArrayList<>();
        final List<Runnable> pending = new ArrayList<>();
        Receiver receiver;
        boolean full;
        boolean down;
        /** Run inside the claim, as a frame the bus delivers while the claim is under way. */
        @Nullable Runnable duringClaim;

        @Override
        public void start(Receiver r, ScheduledExecutorService scheduler) {
            this.receiver = r;
        }

        @Override
        public Claim claim(String roomId, String typeName, int maxUsers, Participant p, String announce,
                           String replaced) throws IOException {
            calls.add("claim " + roomId + " " + p.userId() + " " + maxUsers);
            if (down) {
                throw new IOException("Redis is away");
            }
            if (duringClaim != null) {
                duringClaim.run();
            }
            return full ? new Claim(false, List.of(), List.of())
                    : new Claim(true, List.of(new Participant("remote", "Remote", "agent", p.joinedAt()), p), List.of());
        }

        @Override
        public void release(String roomId, String userId, String leftJson) {
            calls.add("release " + roomId + " " + userId + " " + Json.parse(leftJson).path("reason").asText());
        }

        @Override
        public CompletionStage<Integer> send(String roomId, Audience audience, String json) {
            calls.add("send " + roomId + " " + audience + " " + Json.parse(json).path("action").asText());
            List<String> to = new ArrayList<>();
            for (String u : List.of("alice", "remote")) {
                if (audience.includes(u)) {
                    to.add(u);
                }
            }
            pending.add(() -> receiver.deliver(roomId, to, json));
            return CompletableFuture.completedFuture(to.size());
        }

        @Override
        public CompletionStage<Integer> remove(String roomId, @Nullable String userId, String json, LeaveReason reason) {
            calls.add("remove " + roomId + " " + userId + " " + reason);
            return CompletableFuture.completedFuture(1);
        }

        @Override
        public Optional<SharedRoom> room(String roomId) {
            return Optional.empty();
        }

        @Override
        public List<SharedRoom> rooms(String prefix) {
            return List.of();
        }

        @Override
        public void close() {
            calls.add("close");
        }

        void deliverAll() {
            List<Runnable> now = new ArrayList<>(pending);
            pending.clear();
            now.forEach(Runnable::run);
        }
    }

    ScriptedBus bus;
    RecordingCallbacks callbacks;
    RoomRegistry registry;
    final List<EmbeddedChannel> channels = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        bus = new ScriptedBus();
        callbacks = new RecordingCallbacks();
        registry = new RoomRegistry(new SerialStripes(4, i -> Runnable::run), RoomSocketHandlerTest.CLOCK);
        registry.cluster(bus);
        registry.startCluster(null);
        registry.registerCallbacks(RoomSocketHandlerTest.TYPE, callbacks);
    }

    @AfterEach
    void tearDown() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    EmbeddedChannel client() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast(new RoomSocketHandler(registry, new RoomConnection(ch, RoomSocketHandlerTest.TYPE.name()),
                RoomSocketHandlerTest.CLOCK, new HostCounters()));
        channels.add(ch);
        return ch;
    }

    @Test
    void aJoinClaimsItsSeatInTheBusAndListsEveryNodesUsersAndFramesGoThroughTheBus() {
        EmbeddedChannel alice = client();
        JsonNode joined = RoomSocketHandlerTest.join(alice, "test/r1", "alice");
        assertEquals("joined", joined.path("action").asText());
        assertEquals("remote", joined.path("users").get(0).path("user_id").asText());
        assertEquals("alice", joined.path("users").get(1).path("user_id").asText());
        assertEquals(List.of("claim test/r1 alice 2"), bus.calls, "user_joined is the claim's to send");

        // The plugin's frames to this node's seat wait for the bus, which gives every node one order.
        assertEquals(1, registry.broadcast("test/r1", "{\"action\":\"call_held\"}"));
        assertTrue(registry.sendTo("test/r1", "alice", "{\"action\":\"call_resumed\"}"));
        assertNull(RoomSocketHandlerTest.next(alice));
        bus.deliverAll();
        assertEquals("call_held", RoomSocketHandlerTest.next(alice).path("action").asText());
        assertEquals("call_resumed", RoomSocketHandlerTest.next(alice).path("action").asText());

        RoomSocketHandlerTest.send(alice, "{\"action\":\"chat\",\"text\":\"hi\"}");
        RoomSocketHandlerTest.send(alice, "{\"action\":\"leave\"}");
        assertEquals(List.of("claim test/r1 alice 2", "send test/r1 Audience[only=null, except=null] call_held",
                "send test/r1 Audience[only=alice, except=null] call_resumed",
                "send test/r1 Audience[only=null, except=alice] chat", "release test/r1 alice left"), bus.calls);
    }

    @Test
    void framesThatComeWhileTheClaimIsUnderWayFollowTheJoined() {
        EmbeddedChannel alice = client();
        bus.duringClaim = () -> bus.receiver.deliver("test/r1", List.of("alice"), "{\"action\":\"chat\",\"text\":\"early\"}");
        assertEquals("joined", RoomSocketHandlerTest.join(alice, "test/r1", "alice").path("action").asText());
        assertEquals("early", RoomSocketHandlerTest.next(alice).path("text").asText());
        assertNull(RoomSocketHandlerTest.next(alice));
    }

    @Test
    void aFullRoomOrAnUnreachableBusSeatsNobody() {
        EmbeddedChannel alice = client();
        bus.full = true;
        RoomSocketHandlerTest.assertError(RoomSocketHandlerTest.join(alice, "test/r1", "alice"), "room_full");
        bus.full = false;
        bus.down = true;
        RoomSocketHandlerTest.assertError(RoomSocketHandlerTest.join(alice, "test/r1", "alice"), "internal_error");
        assertEquals(List.of("onJoin test/r1 alice t-alice", "onJoin test/r1 alice t-alice"), callbacks.events());
        // A frame for the user finds no seat and no claim: dropped.
        bus.receiver.deliver("test/r1", List.of("alice"), "{\"action\":\"chat\"}");
        assertNull(RoomSocketHandlerTest.next(alice));
        assertTrue(bus.receiver.localRooms().isEmpty());
    }

    @Test
    void whatTheBusTellsTheNodeActsOnItsSeat() {
        EmbeddedChannel alice = client();
        EmbeddedChannel bob = client();
        RoomSocketHandlerTest.join(alice, "test/r1", "alice");
        RoomSocketHandlerTest.join(bob, "test/r2", "bob");
        assertEquals(2, bus.receiver.localSeats().size());

        // Another node took alice's seat over: she hears `replaced`, and her seat goes without a word to the room.
        bus.receiver.replaced("test/r1", "alice", HostFrames.replaced("test/r1", "alice"));
        RoomSocketHandlerTest.assertError(RoomSocketHandlerTest.next(alice), "replaced");
        // A removeUser made on another node: the frame first, then the seat, released with user_left.
        bus.receiver.remove("test/r2", "bob", "{\"action\":\"call_transferred\"}", LeaveReason.REMOVED);
        assertEquals("call_transferred", RoomSocketHandlerTest.next(bob).path("action").asText());
        assertEquals(List.of("release test/r2 bob removed"),
                bus.calls.stream().filter(c -> c.startsWith("release")).toList());
        assertTrue(bus.receiver.localRooms().isEmpty());
        assertTrue(callbacks.events().contains("onLeave test/r1 alice REMOVED"), callbacks.events()::toString);

        registry.shutdown();
        assertEquals("close", bus.calls.get(bus.calls.size() - 1));
    }
}
