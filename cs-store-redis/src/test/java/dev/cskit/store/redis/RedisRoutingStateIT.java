/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.store.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.api.room.RoomCallbacks;
import dev.cskit.api.room.RoomInfo;
import dev.cskit.api.room.RoomService;
import dev.cskit.api.room.RoomType;
import dev.cskit.core.agent.AgentRecord;
import dev.cskit.core.agent.AgentState;
import dev.cskit.core.agent.QueuedCall;
import dev.cskit.core.agent.Ring;
import dev.cskit.core.session.SessionException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link RedisRoutingState} against a real {@code redis-server} ({@link RedisServer}, one per test), several nodes
 * each on its own store: a step sees every change of the steps before it, in their order; a step waits for the
 * routing lock another node holds; a step whose lease ran out writes nothing (the commit script's fence); one that
 * cannot read the state lets the lock go; seats and ring leases of a node gone, or of a node's last run, are lost;
 * lobby frames reach the node holding the seat.
 */
@Timeout(60)
class RedisRoutingStateIT extends AgainstRedis {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final RoomType LOBBY = new RoomType("cs_agent", 1, "agent/");

    private final List<RedisSessionStore> stores = new ArrayList<>();

    private RedisRoutingState node(String id) throws IOException {
        RedisSessionStore s = RedisSessionStore.newBuilder(redis.uri(0)).nodeId(id).connect();
        stores.add(closeLater(s));
        RedisRoutingState r = (RedisRoutingState) s.sharedRouting();
        r.heartbeat();
        return r;
    }

    private static AgentRecord agent(String id, boolean seated, Ring ring) {
        return new AgentRecord(id, "Agent " + id, true, seated, true, ring, List.of(), null, T0, T0,
                ring == null ? AgentState.READY : AgentState.RINGING);
    }

    private static Ring ring(long id, String agentId, Instant expiresAt) {
        return new Ring(id, "cs_1", agentId, null, "Agent " + agentId, expiresAt, false);
    }

    private static List<String> ids(List<AgentRecord> agents) {
        return agents.stream().map(AgentRecord::id).toList();
    }

    @Test
    void aStepSeesEveryChangeOfTheStepsBeforeItInTheirOrder() throws IOException {
        RedisRoutingState a = node("node_a");
        RedisRoutingState b = node("node_b");
        a.begin();
        for (String id : List.of("zed", "amy", "max")) {
            a.putAgent(agent(id, false, null));
        }
        a.putQueued(QueuedCall.waiting("cs_1", "c1", T0));
        a.putQueued(QueuedCall.waiting("cs_2", "c2", T0.plusSeconds(1)));
        a.addHandlingTime(60, 2);
        a.commit();

        b.begin();
        assertEquals(List.of("zed", "amy", "max"), ids(b.agents()), "in the order first put, not by id");
        assertEquals(agent("amy", false, null), b.agent("amy").orElseThrow(), "a record survives its JSON");
        assertEquals(List.of("cs_1", "cs_2"), b.queue().stream().map(QueuedCall::sessionId).toList());
        assertEquals(List.of(60L), b.handlingTimes());
        b.dequeue("cs_1");
        b.putQueued(QueuedCall.waiting("cs_3", "c3", T0.plusSeconds(2)));
        b.putQueued(b.queued("cs_2").orElseThrow()); // a put in place keeps its place
        b.removeAgent("amy");
        b.putAgent(agent("zed", true, null));
        b.addHandlingTime(120, 2);
        b.addHandlingTime(180, 2);
        b.commit();

        a.begin();
        assertEquals(List.of("zed", "max"), ids(a.agents()));
        assertTrue(a.agent("zed").orElseThrow().seated());
        assertEquals(List.of("cs_2", "cs_3"), a.queue().stream().map(QueuedCall::sessionId).toList());
        assertEquals(List.of(120L, 180L), a.handlingTimes(), "only the latest kept");
        assertEquals(1, a.nextRingId());
        assertEquals(2, b.nextRingId(), "ring ids are the cluster's");
        a.commit();
    }

    @Test
    void aStepWaitsForTheLockAnotherNodeHolds() throws Exception {
        RedisRoutingState a = node("node_a");
        RedisRoutingState b = node("node_b");
        a.begin();
        AtomicReference<List<String>> seenByB = new AtomicReference<>();
        Thread other = new Thread(() -> {
            b.begin();
            seenByB.set(ids(b.agents()));
            b.commit();
        });
        other.start();
        await("node b waits for the lock", () -> other.getState() == Thread.State.TIMED_WAITING);
        a.putAgent(agent("amy", false, null));
        a.commit();
        other.join(10_000);
        assertEquals(List.of("amy"), seenByB.get(), "node b's step began after node a's commit");
    }

    @Test
    void aStepWhoseLeaseRanOutWritesNothing() throws IOException {
        RedisRoutingState a = node("node_a");
        RedisRoutingState b = node("node_b");
        a.begin();
        try (RawRedis raw = raw()) {
            raw.sync.del(RedisSessionStore.DEFAULT_PREFIX + "routing:lock"); // as if its lease expired
        }
        b.begin();
        b.putAgent(agent("bob", false, null));
        b.commit();
        a.putAgent(agent("amy", false, null));
        a.commit(); // too late: refused
        b.begin();
        assertEquals(List.of("bob"), ids(b.agents()));
        b.commit();
    }

    @Test
    void aStepThatCannotReadTheStateFailsAsUnavailableAndLetsTheLockGo() throws IOException {
        RedisRoutingState a = node("node_a");
        try (RawRedis raw = raw()) {
            var r = raw.sync;
            r.hset(RedisSessionStore.DEFAULT_PREFIX + "routing:agents", "amy", "{not json");
            r.zadd(RedisSessionStore.DEFAULT_PREFIX + "routing:agents:order", 1, "amy");
            SessionException e = assertThrows(SessionException.class, a::begin);
            assertEquals(SessionException.Kind.UNAVAILABLE, e.kind());
            assertEquals(0, r.exists(RedisSessionStore.DEFAULT_PREFIX + "routing:lock"), "the lock is let go at once");
        }
    }

    @Test
    void theSeatsAndRingLeasesOfANodeGoneAreLost() throws IOException {
        RedisRoutingState a = node("node_a");
        RedisRoutingState b = node("node_b");
        Instant expires = T0.plusSeconds(30);
        a.begin();
        a.putAgent(agent("amy", true, null));
        a.seatTaken("amy");
        a.putAgent(agent("amy", true, ring(7, "amy", expires)));
        assertTrue(a.seatHere("amy"));
        a.commit();

        b.begin();
        assertFalse(b.seatHere("amy"), "the seat is node a's");
        assertFalse(b.seatLost("amy"), "node a lives");
        Ring r = b.agent("amy").orElseThrow().ring();
        assertFalse(b.ringOrphaned(r, expires.minusSeconds(1)), "not due");
        assertFalse(b.ringOrphaned(r, expires.plusSeconds(1)), "node a's timer may still be running it");
        assertTrue(b.ringOrphaned(r, expires.plus(RedisRoutingState.LEASE_GRACE).plusSeconds(1)), "node a is late");
        b.commit();

        stores.get(0).close(); // node a stops: its heartbeat goes with it
        b.begin();
        assertTrue(b.seatLost("amy"));
        assertTrue(b.ringOrphaned(r, expires.plusSeconds(1)), "nobody holds its lease");
        b.putAgent(agent("amy", false, null)); // presence lost: the seat goes, and the ring's lease
        b.commit();
        b.begin();
        assertFalse(b.seatLost("amy"), "no seat any more");
        assertTrue(b.seatHere("amy"));
        b.commit();
    }

    @Test
    void aNodeRestartedUnderItsIdLosesTheSeatsOfItsLastRun() throws IOException {
        RedisRoutingState first = node("node_a");
        first.begin();
        first.putAgent(agent("amy", true, null));
        first.seatTaken("amy");
        first.commit();
        RedisRoutingState again = node("node_a"); // a new run of node a, its heartbeat now the new run's
        again.begin();
        assertFalse(again.seatHere("amy"));
        assertTrue(again.seatLost("amy"), "the socket went with the last run");
        again.commit();
    }

    @Test
    void lobbyFramesReachTheNodeHoldingTheSeatInOrder() throws IOException {
        RedisRoutingState a = node("node_a");
        RedisRoutingState b = node("node_b");
        Rooms roomsA = new Rooms();
        Rooms roomsB = new Rooms();
        RoomService relayA = a.lobbies(roomsA, LOBBY);
        RoomService relayB = b.lobbies(roomsB, LOBBY);
        a.begin();
        a.putAgent(agent("amy", true, null));
        a.seatTaken("amy");
        a.commit();

        b.begin();
        assertTrue(relayB.sendTo("agent/amy", "amy", "{\"n\":1}"), "published to node a (inside a step)");
        b.commit();
        assertTrue(relayB.sendTo("agent/amy", "amy", "{\"n\":2}"), "published to node a (outside a step)");
        assertTrue(relayA.sendTo("agent/amy", "amy", "{\"n\":3}"), "node a's own frames go the same way");
        relayB.sendTo("customer-service/cs_1", "c1", "{\"n\":4}");
        await("node a sent the three lobby frames", () -> roomsA.sent.size() == 3);
        assertEquals(List.of("agent/amy amy {\"n\":1}", "agent/amy amy {\"n\":2}", "agent/amy amy {\"n\":3}"),
                roomsA.sent);
        assertEquals(List.of("customer-service/cs_1 c1 {\"n\":4}"), roomsB.sent, "other rooms stay local");
        assertFalse(relayB.sendTo("agent/bob", "bob", "{}"), "an agent seated nowhere: the local rooms answer");
        assertEquals("agent/bob bob {}", roomsB.sent.get(1));
    }

    /** Local rooms that record what they were asked to send, and know no user (so {@code sendTo} is false). */
    private static final class Rooms implements RoomService {
        final List<String> sent = new CopyOnWriteArrayList<>();

        @Override
        public boolean sendTo(String roomId, String userId, String json) {
            sent.add(roomId + " " + userId + " " + json);
            return false;
        }

        @Override
        public void registerCallbacks(RoomType type, RoomCallbacks callbacks) {
        }

        @Override
        public void unregisterCallbacks(RoomType type) {
        }

        @Override
        public int broadcast(String roomId, String json) {
            return 0;
        }

        @Override
        public boolean removeUser(String roomId, String userId, String json) {
            return false;
        }

        @Override
        public boolean closeRoom(String roomId) {
            return false;
        }

        @Override
        public Optional<RoomInfo> room(String roomId) {
            return Optional.empty();
        }

        @Override
        public List<RoomInfo> rooms(String prefix) {
            return List.of();
        }
    }
}
