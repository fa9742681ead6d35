/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cskit.api.room.JoinDecision;
import dev.cskit.api.room.LeaveReason;
import dev.cskit.api.room.RoomInfo;
import dev.cskit.api.room.RoomMessage;
import dev.cskit.api.room.RoomType;
import dev.cskit.netty.stats.HostCounters;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.timeout.IdleStateHandler;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The room protocol on in-memory channels: one {@link EmbeddedChannel} per client. */
class RoomSocketHandlerTest {

    static final RoomType TYPE = new RoomType("test", 2, "test/");
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);

    RecordingCallbacks callbacks;
    RoomRegistry registry;
    final List<EmbeddedChannel> channels = new ArrayList<>();

    @BeforeEach
    void setUp() {
        callbacks = new RecordingCallbacks();
        registry = new RoomRegistry(new SerialStripes(4, i -> Runnable::run), CLOCK);
        registry.registerCallbacks(TYPE, callbacks);
    }

    @AfterEach
    void tearDown() {
        for (EmbeddedChannel ch : channels) {
            ch.finishAndReleaseAll();
        }
    }

    EmbeddedChannel client() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast(new RoomSocketHandler(registry, new RoomConnection(ch, TYPE.name()), CLOCK, new HostCounters()));
        channels.add(ch);
        return ch;
    }

    static void send(EmbeddedChannel ch, String json) {
        ch.writeInbound(new TextWebSocketFrame(json));
    }

    /** The next text frame the server sent, parsed; null if none. */
    static JsonNode next(EmbeddedChannel ch) {
        Object o = ch.readOutbound();
        if (o == null) {
            return null;
        }
        TextWebSocketFrame f = (TextWebSocketFrame) o;
        try {
            return Json.parse(f.text());
        } finally {
            f.release();
        }
    }

    static JsonNode join(EmbeddedChannel ch, String room, String user) {
        send(ch, "{\"action\":\"join\",\"room_id\":\"" + room + "\",\"user_id\":\"" + user + "\",\"token\":\"t-" + user + "\"}");
        return next(ch);
    }

    static void assertError(JsonNode frame, String code) {
        assertEquals("error", frame.path("action").asText(), frame.toString());
        assertEquals(code, frame.path("code").asText(), frame.toString());
        assertFalse(frame.path("message").asText().isEmpty());
    }

    @Test
    void joinerGetsJoinedWithEveryoneAndOthersGetUserJoined() {
        EmbeddedChannel a = client();
        EmbeddedChannel b = client();
        JsonNode ja = join(a, "test/r1", "alice");
        assertEquals("joined", ja.path("action").asText());
        assertEquals("test/r1", ja.path("room_id").asText());
        assertEquals("alice", ja.path("user_id").asText());
        assertEquals(1, ja.path("users").size());

        JsonNode jb = join(b, "test/r1", "bob");
        assertEquals(2, jb.path("users").size());
        JsonNode bobEntry = jb.path("users").get(1);
        assertEquals("bob", bobEntry.path("user_id").asText());
        assertEquals("bob-name", bobEntry.path("display_name").asText());
        assertEquals("customer", bobEntry.path("role").asText());
        assertEquals("2026-03-01T10:00:00Z", bobEntry.path("joined_at").asText());

        JsonNode announce = next(a);
        assertEquals("user_joined", announce.path("action").asText());
        assertEquals("test/r1", announce.path("room_id").asText());
        assertEquals("bob", announce.path("user_id").asText(), "named like user_left names a user");
        assertEquals("bob", announce.path("user").path("user_id").asText());
        assertEquals("customer", announce.path("user").path("role").asText());
        assertNull(next(b), "the joiner is not told about itself twice");
        assertEquals(List.of("onJoin test/r1 alice t-alice", "onJoined test/r1 alice",
                "onJoin test/r1 bob t-bob", "onJoined test/r1 bob"), callbacks.events());
    }

    @Test
    void rejectsThirdParticipant() {
        join(client(), "test/r1", "alice");
        join(client(), "test/r1", "bob");
        EmbeddedChannel c = client();
        assertError(join(c, "test/r1", "carol"), "room_full");
        RoomInfo info = registry.room("test/r1").orElseThrow();
        assertEquals(List.of("alice", "bob"), info.participants().stream().map(p -> p.userId()).toList());
        assertFalse(callbacks.events().contains("onJoined test/r1 carol"));
        // The refused connection holds no seat: chatting is refused.
        send(c, "{\"action\":\"chat\",\"text\":\"hi\"}");
        assertError(next(c), "not_joined");
    }

    @Test
    void refusedJoinGetsThePluginsCodeAndNoSeat() {
        callbacks.decide = r -> JoinDecision.refuse("unauthorized", "bad token");
        EmbeddedChannel a = client();
        JsonNode f = join(a, "test/r1", "alice");
        assertError(f, "unauthorized");
        assertEquals("bad token", f.path("message").asText());
        assertTrue(registry.room("test/r1").isEmpty());
    }

    @Test
    void onJoinThrowingRefusesWithInternalError() {
        callbacks.decide = r -> {
            throw new IllegalStateException("boom");
        };
        assertError(join(client(), "test/r1", "alice"), "internal_error");
        assertTrue(registry.room("test/r1").isEmpty());
    }

    @Test
    void roomOfAnotherTypeIsBadRequest() {
        assertError(join(client(), "other/r1", "alice"), "bad_request");
        assertTrue(callbacks.events().isEmpty(), "the plugin is not asked about rooms it does not own");
    }

    @Test
    void joinWithoutIdsIsBadRequest() {
        EmbeddedChannel a = client();
        send(a, "{\"action\":\"join\",\"room_id\":\"test/r1\"}");
        assertError(next(a), "bad_request");
        send(a, "{\"action\":\"join\",\"room_id\":\"test/r1\",\"user_id\":42}");
        assertError(next(a), "bad_request");
    }

    @Test
    void oneConnectionHoldsOneSeat() {
        EmbeddedChannel a = client();
        join(a, "test/r1", "alice");
        assertError(join(a, "test/r2", "alice"), "already_joined");
        assertTrue(registry.room("test/r2").isEmpty());
    }

    @Test
    void sameUserJoiningAgainReplacesTheOldConnection() {
        EmbeddedChannel old = client();
        EmbeddedChannel bob = client();
        join(old, "test/r1", "alice");
        join(bob, "test/r1", "bob");
        next(old); // user_joined bob
        EmbeddedChannel fresh = client();
        JsonNode joined = join(fresh, "test/r1", "alice");
        assertEquals("joined", joined.path("action").asText());
        assertEquals(2, joined.path("users").size());
        assertError(next(old), "replaced");
        assertEquals("user_joined", next(bob).path("action").asText());
        // The old socket lost its seat; chat from it is refused, chat from the new one arrives.
        send(old, "{\"action\":\"chat\",\"text\":\"stale\"}");
        assertError(next(old), "not_joined");
        send(fresh, "{\"action\":\"chat\",\"text\":\"back\"}");
        assertEquals("back", next(bob).path("text").asText());
        // Closing the old socket does not take the new seat away.
        old.close();
        assertEquals(2, registry.room("test/r1").orElseThrow().participants().size());
    }

    @Test
    void chatGoesToTheOthersOnly() {
        EmbeddedChannel a = client();
        EmbeddedChannel b = client();
        join(a, "test/r1", "alice");
        join(b, "test/r1", "bob");
        next(a); // user_joined
        send(a, "{\"action\":\"chat\",\"text\":\"hello\"}");
        JsonNode chat = next(b);
        assertEquals("chat", chat.path("action").asText());
        assertEquals("test/r1", chat.path("room_id").asText());
        assertEquals("alice", chat.path("user_id").asText());
        assertEquals("alice-name", chat.path("display_name").asText());
        assertEquals("hello", chat.path("text").asText());
        assertEquals(CLOCK.millis(), chat.path("ts").asLong());
        assertNull(next(a), "the sender gets nothing back");
    }

    @Test
    void chatTextMustBe1To4000Characters() {
        EmbeddedChannel a = client();
        join(a, "test/r1", "alice");
        send(a, "{\"action\":\"chat\",\"text\":\"\"}");
        assertError(next(a), "bad_request");
        send(a, "{\"action\":\"chat\",\"text\":\"" + "x".repeat(4001) + "\"}");
        assertError(next(a), "bad_request");
        send(a, "{\"action\":\"chat\"}");
        assertError(next(a), "bad_request");
    }

    @Test
    void actionsBeforeJoinAreNotJoined() {
        EmbeddedChannel a = client();
        for (String action : List.of("chat\",\"text\":\"x", "leave", "accept_call")) {
            send(a, "{\"action\":\"" + action + "\"}");
            assertError(next(a), "not_joined");
        }
        assertTrue(callbacks.events().isEmpty());
    }

    @Test
    void badFramesGetBadRequestAndTheConnectionStays() {
        EmbeddedChannel a = client();
        for (String bad : List.of("not json", "[1,2]", "{\"no\":\"action\"}", "{\"action\":5}", "42")) {
            send(a, bad);
            JsonNode err = next(a);
            assertError(err, "bad_request");
            assertEquals("frames must be JSON objects with an action", err.path("message").asText());
        }
        a.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1, 2})));
        assertError(next(a), "bad_request");
        assertTrue(a.isActive());
        assertEquals("joined", join(a, "test/r1", "alice").path("action").asText());
    }

    @Test
    void pingIsAnsweredBeforeJoin() {
        EmbeddedChannel a = client();
        send(a, "{\"action\":\"ping\"}");
        JsonNode pong = next(a);
        assertEquals("pong", pong.path("action").asText());
        assertEquals(CLOCK.millis(), pong.path("ts").asLong());
    }

    @Test
    void webSocketPingGetsPongWithSameData() {
        EmbeddedChannel a = client();
        a.writeInbound(new PingWebSocketFrame(Unpooled.copiedBuffer("abc", StandardCharsets.US_ASCII)));
        PongWebSocketFrame pong = a.readOutbound();
        try {
            assertEquals("abc", pong.content().toString(StandardCharsets.US_ASCII));
        } finally {
            pong.release();
        }
    }

    @Test
    void closeFrameIsEchoedAndFreesTheSeat() {
        EmbeddedChannel a = client();
        EmbeddedChannel b = client();
        join(a, "test/r1", "alice");
        join(b, "test/r1", "bob");
        next(a); // user_joined bob
        a.writeInbound(new CloseWebSocketFrame(1000, "bye"));
        CloseWebSocketFrame echo = a.readOutbound();
        try {
            assertEquals(1000, echo.statusCode());
        } finally {
            echo.release();
        }
        assertFalse(a.isOpen());
        JsonNode left = next(b);
        assertEquals("user_left", left.path("action").asText());
        assertEquals("disconnected", left.path("reason").asText());
        assertTrue(callbacks.events().contains("onLeave test/r1 alice DISCONNECTED"));
    }

    @Test
    void otherActionsOfSeatedUsersGoToOnMessageWithTheHostsRecordOfSender() {
        EmbeddedChannel a = client();
        join(a, "test/r1", "alice");
        send(a, "{\"action\":\"accept_call\",\"room_id\":\"test/r1\",\"user_id\":null,\"to\":\"bob\",\"n\":5}");
        assertEquals(1, callbacks.messages.size());
        RoomMessage m = callbacks.messages.get(0);
        assertEquals("test/r1", m.roomId());
        assertEquals("alice", m.userId());
        assertEquals("accept_call", m.action());
        assertEquals(Map.of("action", "accept_call", "room_id", "test/r1", "to", "bob"), m.fields(),
                "the host parsed the frame once: its string members");
        assertTrue(m.json().contains("\"n\":5"), "the whole frame is handed over");
    }

    @Test
    void framesNamingAnotherSeatAreRefusedByTheHostAndNeverReachThePlugin() {
        EmbeddedChannel a = client();
        join(a, "test/r1", "alice");
        send(a, "{\"action\":\"accept_call\",\"room_id\":\"test/forged\"}");
        JsonNode room = next(a);
        assertError(room, "bad_request");
        assertEquals("room_id must be test/r1, the room this connection joined (or left out)",
                room.path("message").asText());
        send(a, "{\"action\":\"accept_call\",\"user_id\":\"mallory\"}");
        JsonNode user = next(a);
        assertError(user, "forbidden");
        assertEquals("user_id must be alice, the user this connection joined as (or left out)",
                user.path("message").asText());
        send(a, "{\"action\":\"accept_call\",\"room_id\":5}");
        assertError(next(a), "bad_request");
        assertTrue(callbacks.messages.isEmpty(), "no refused frame reaches the plugin");
        assertTrue(a.isActive());
    }

    @Test
    void leaveNotifiesOthersThenEmptyRoomCloses() {
        EmbeddedChannel a = client();
        EmbeddedChannel b = client();
        join(a, "test/r1", "alice");
        join(b, "test/r1", "bob");
        next(a);
        send(a, "{\"action\":\"leave\"}");
        JsonNode left = next(b);
        assertEquals("user_left", left.path("action").asText());
        assertEquals("alice", left.path("user_id").asText());
        assertEquals("left", left.path("reason").asText());
        send(b, "{\"action\":\"leave\"}");
        assertTrue(registry.room("test/r1").isEmpty());
        List<String> ev = callbacks.events();
        assertEquals(List.of("onLeave test/r1 alice LEFT", "onLeave test/r1 bob LEFT", "onRoomClosed test/r1"),
                ev.subList(ev.size() - 3, ev.size()));
        // A connection that left may join again.
        assertEquals("joined", join(a, "test/r2", "alice").path("action").asText());
    }

    @Test
    void heartbeatTimeoutClosesAndUnseatsWithTimedOut() {
        EmbeddedChannel a = new EmbeddedChannel();
        a.freezeTime();
        a.pipeline().addLast(new IdleStateHandler(1000, 0, 0, TimeUnit.MILLISECONDS));
        a.pipeline().addLast(new RoomSocketHandler(registry, new RoomConnection(a, TYPE.name()), CLOCK, new HostCounters()));
        channels.add(a);
        EmbeddedChannel b = client();
        join(a, "test/r1", "alice");
        join(b, "test/r1", "bob");
        next(a);
        a.advanceTimeBy(500, TimeUnit.MILLISECONDS);
        a.runScheduledPendingTasks();
        assertTrue(a.isOpen(), "not silent long enough yet");
        a.advanceTimeBy(1500, TimeUnit.MILLISECONDS);
        a.runScheduledPendingTasks();
        CloseWebSocketFrame close = a.readOutbound();
        try {
            assertEquals(1001, close.statusCode());
        } finally {
            close.release();
        }
        assertFalse(a.isOpen());
        assertEquals("timed_out", next(b).path("reason").asText());
        assertTrue(callbacks.events().contains("onLeave test/r1 alice TIMED_OUT"));
        assertFalse(callbacks.events().contains("onLeave test/r1 alice DISCONNECTED"));
    }

    @Test
    void roomServiceSendsBroadcastsRemovesAndCloses() {
        EmbeddedChannel a = client();
        EmbeddedChannel b = client();
        join(a, "test/r1", "alice");
        join(b, "test/r1", "bob");
        next(a);
        assertTrue(registry.sendTo("test/r1", "bob", "{\"action\":\"x\"}"));
        assertEquals("x", next(b).path("action").asText());
        assertFalse(registry.sendTo("test/r1", "carol", "{}"));
        assertEquals(2, registry.broadcast("test/r1", "{\"action\":\"y\"}"));
        assertEquals("y", next(a).path("action").asText());
        assertEquals("y", next(b).path("action").asText());
        assertEquals(1, registry.rooms("test/").size());
        assertEquals(0, registry.rooms("other/").size());

        assertTrue(registry.removeUser("test/r1", "bob", "{\"action\":\"bye\"}"));
        assertEquals("bye", next(b).path("action").asText());
        assertEquals("removed", next(a).path("reason").asText());
        assertFalse(registry.removeUser("test/r1", "bob", ""));
        // The removed user's socket stays open and may join again.
        assertTrue(b.isActive());
        assertEquals("joined", join(b, "test/r1", "bob").path("action").asText());
        next(a);

        assertTrue(registry.closeRoom("test/r1"));
        assertFalse(registry.closeRoom("test/r1"));
        assertTrue(registry.room("test/r1").isEmpty());
        List<String> ev = callbacks.events();
        assertEquals("onRoomClosed test/r1", ev.get(ev.size() - 1));
        assertEquals(1, ev.stream().filter(e -> e.equals("onRoomClosed test/r1")).count());
        assertTrue(ev.contains("onLeave test/r1 alice ROOM_CLOSED"));
    }

    @Test
    void callbacksThatCallBackIntoTheServiceDoNotRecurse() {
        List<String> order = new ArrayList<>();
        RoomType t2 = new RoomType("echo", 2, "echo/");
        registry.registerCallbacks(t2, new dev.cskit.api.room.RoomCallbacks() {
            @Override
            public void onJoined(String roomId, dev.cskit.api.room.Participant p) {
                order.add("onJoined-start");
                registry.removeUser(roomId, p.userId(), "{\"action\":\"kicked\"}");
                order.add("onJoined-end");
            }

            @Override
            public void onLeave(String roomId, String userId, LeaveReason reason) {
                order.add("onLeave " + reason);
            }

            @Override
            public void onRoomClosed(String roomId) {
                order.add("onRoomClosed");
            }
        });
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast(new RoomSocketHandler(registry, new RoomConnection(ch, "echo"), CLOCK, new HostCounters()));
        channels.add(ch);
        assertEquals("joined", join(ch, "echo/r", "u").path("action").asText());
        assertEquals("kicked", next(ch).path("action").asText());
        assertEquals(List.of("onJoined-start", "onJoined-end", "onLeave REMOVED", "onRoomClosed"), order);
    }

    @Test
    void unregisteringTheTypeClosesItsRoomsWithShutdown() {
        EmbeddedChannel a = client();
        join(a, "test/r1", "alice");
        registry.unregisterCallbacks(TYPE);
        assertTrue(registry.rooms("").isEmpty());
        assertFalse(registry.hasType("test"));
        assertTrue(callbacks.events().contains("onLeave test/r1 alice SHUTDOWN"));
        assertError(join(a, "test/r1", "alice"), "bad_request");
    }
}
