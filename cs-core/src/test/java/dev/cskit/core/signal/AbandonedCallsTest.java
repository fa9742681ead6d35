/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.cskit.api.room.Participant;
import dev.cskit.api.room.RoomInfo;
import dev.cskit.api.room.RoomService;
import dev.cskit.api.room.RoomType;
import dev.cskit.api.session.EndReason;
import dev.cskit.api.session.Session;
import dev.cskit.api.session.SessionStatus;
import dev.cskit.core.MutableClock;
import dev.cskit.core.session.InMemorySessionStore;
import dev.cskit.core.session.SessionManager;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Active calls whose room stays empty for the grace period are ended with {@code peer_gone}; a party in the
 * room, or one coming back in time, keeps the call; calls restored Active after a restart get the whole grace.
 */
class AbandonedCallsTest {

    private static final Duration GRACE = Duration.ofMinutes(2);
    private static final Duration SWEEP = Duration.ofSeconds(5);

    private final MutableClock clock = new MutableClock();
    /** Room id → who is in it, as the host would report. */
    private final Map<String, List<String>> seated = new ConcurrentHashMap<>();
    private final RoomService rooms = mock(RoomService.class);

    AbandonedCallsTest() {
        when(rooms.room(anyString())).thenAnswer(inv -> {
            String roomId = inv.getArgument(0);
            List<String> users = seated.get(roomId);
            return users == null ? Optional.empty() : Optional.of(new RoomInfo(roomId, RoomType.CUSTOMER_SERVICE,
                    clock.instant(), users.stream().map(u -> new Participant(u, u, "agent", clock.instant())).toList()));
        });
    }

    private Session activeCall(SessionManager m) {
        Session s = m.create("t", "c", null);
        m.assign(s.id(), "agent_1", "One");
        return m.accept(s.id(), "agent_1");
    }

    private static String room(Session s) {
        return RoomType.CUSTOMER_SERVICE.roomId(s.id());
    }

    /** Sweeps every 5 s for {@code d}; returns how many calls the sweeps ended. */
    private int sweepFor(AbandonedCalls calls, Duration d) {
        int ended = 0;
        for (Duration t = Duration.ZERO; t.compareTo(d) < 0; t = t.plus(SWEEP)) {
            clock.advance(SWEEP);
            ended += calls.sweep();
        }
        return ended;
    }

    @Test
    void aCallWhoseRoomStaysEmptyIsEndedAfterTheGraceAndOnlyThen() {
        SessionManager m = new SessionManager(new InMemorySessionStore(), clock, 100, Duration.ofHours(1));
        AbandonedCalls calls = AbandonedCalls.attach(m, rooms, clock, GRACE);
        Session gone = activeCall(m);
        Session kept = activeCall(m);
        Session waiting = m.create("w", "c", null);
        seated.put(room(gone), List.of("c", "agent_1"));
        seated.put(room(kept), List.of("c", "agent_1"));
        assertEquals(2, calls.size(), "only Active calls are followed");

        assertEquals(0, sweepFor(calls, Duration.ofMinutes(10)), "occupied rooms are never abandoned");
        seated.put(room(gone), List.of()); // both closed their pages
        seated.put(room(kept), List.of("agent_1")); // the customer left, the agent waits
        assertEquals(0, sweepFor(calls, GRACE.minus(SWEEP)));
        assertEquals(SessionStatus.ACTIVE, m.require(gone.id()).status());
        assertEquals(1, sweepFor(calls, SWEEP.multipliedBy(2)));
        Session ended = m.require(gone.id());
        assertEquals(SessionStatus.ENDED, ended.status());
        assertEquals(EndReason.PEER_GONE, ended.endReason());
        assertEquals(SessionStatus.ACTIVE, m.require(kept.id()).status());
        assertEquals(SessionStatus.WAITING, m.require(waiting.id()).status());
        assertEquals(1, calls.size(), "an ended call is no longer followed");
    }

    @Test
    void aPartyComingBackWithinTheGraceKeepsTheCallAndRestartsTheCount() {
        SessionManager m = new SessionManager(new InMemorySessionStore(), clock, 100, Duration.ofHours(1));
        AbandonedCalls calls = AbandonedCalls.attach(m, rooms, clock, GRACE);
        Session s = activeCall(m); // no room at all yet counts as empty
        assertEquals(0, sweepFor(calls, GRACE.minus(Duration.ofSeconds(20))));
        seated.put(room(s), List.of("c")); // the customer's page reconnected
        assertEquals(0, sweepFor(calls, SWEEP));
        seated.put(room(s), List.of());
        assertEquals(0, sweepFor(calls, GRACE.minus(SWEEP)), "the count started again when the room emptied");
        assertEquals(1, sweepFor(calls, SWEEP.multipliedBy(2)));
    }

    @Test
    void callsRestoredActiveAfterACrashGetTheWholeGraceToBeRejoined() throws IOException {
        InMemorySessionStore store = new InMemorySessionStore();
        SessionManager before = new SessionManager(store, clock, 100, Duration.ofHours(1));
        Session rejoined = activeCall(before);
        Session abandoned = activeCall(before);
        // The process dies here: no end, the store keeps both Active. A new process restores them.
        clock.advance(Duration.ofMinutes(30));
        SessionManager after = new SessionManager(store, clock, 100, Duration.ofHours(1));
        assertEquals(2, after.restore());
        AbandonedCalls calls = AbandonedCalls.attach(after, rooms, clock, GRACE);
        assertEquals(2, calls.size());
        assertEquals(0, sweepFor(calls, Duration.ofSeconds(30)), "the downtime does not count");
        seated.put(room(rejoined), List.of("agent_1", "c"));
        assertEquals(1, sweepFor(calls, GRACE));
        assertEquals(EndReason.PEER_GONE, after.require(abandoned.id()).endReason());
        assertEquals(SessionStatus.ACTIVE, after.require(rejoined.id()).status());
    }
}
