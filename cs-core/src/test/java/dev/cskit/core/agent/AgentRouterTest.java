/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cskit.api.AgentAccount;
import dev.cskit.api.CsConfig;
import dev.cskit.api.session.EndReason;
import dev.cskit.api.session.Session;
import dev.cskit.api.session.SessionStatus;
import dev.cskit.core.auth.AgentDirectory;
import dev.cskit.core.session.InMemorySessionStore;
import dev.cskit.core.session.SessionManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The agent router on a fake room host, a fake clock and a manual scheduler: routing fairness, ringing
 * (timeout, reject, presence lost), the visitor queue, wrap-up and transfers that ring their target.
 */
class AgentRouterTest extends AgentFixture {

    // ------------------------------------------------------------ routing

    /** Records what a router tells, as lines. */
    private static final class ToldEvents implements RoutingEvents {
        final List<String> told = new ArrayList<>();

        @Override
        public void agentState(AgentView a) {
            told.add("state " + a.id() + " " + a.state().wireName());
        }

        @Override
        public void incomingCall(Ring r, Duration ringTimeout) {
            told.add("ring " + r.agentId() + " " + r.sessionId() + " " + ringTimeout.toSeconds());
        }

        @Override
        public void incomingCancelled(String agentId, String sessionId, CancelReason reason) {
            told.add("cancelled " + agentId + " " + sessionId + " " + reason.wireName());
        }

        @Override
        public void incomingAccepted(String agentId, Session s, String media, boolean transfer) {
            told.add("accepted " + agentId + " " + s.id() + " " + media + " " + transfer);
        }

        @Override
        public void transferRinging(String byAgentId, Ring r, Duration ringTimeout) {
            told.add("transfer ringing " + byAgentId + " " + r.agentId());
        }

        @Override
        public void transferFailed(String byAgentId, String sessionId, String toAgentId, CancelReason reason) {
            told.add("transfer failed " + byAgentId + " " + toAgentId + " " + reason.wireName());
        }

        @Override
        public boolean queuePosition(String sessionId, String customerId, int position, long estimatedWait) {
            told.add("queue " + customerId + " " + position + " " + estimatedWait);
            return true;
        }
    }

    @Test
    void theRouterWorksOnItsOwnWithoutRoomsOrJson() {
        List<AgentAccount> one = List.of(new AgentAccount(agent(1), "Agent 1", ""));
        CsConfig cfg = CsConfig.newBuilder().dataDir(null).agents(one).autoAssign(true).ringTimeout(RING).build();
        SessionManager sm = new SessionManager(new InMemorySessionStore(), clock, 100, Duration.ofHours(1));
        ToldEvents events = new ToldEvents();
        AgentRouter r = new AgentRouter(sm, new AgentDirectory(one), cfg, scheduler, clock, events);
        sm.addListener(r);
        r.seated(agent(1));
        r.setStatus(agent(1), "ready");
        Session s = sm.create("help", "John", null);
        tick(RING);
        r.setStatus(agent(1), "ready");
        r.accept(agent(1), s.id(), "audio");
        String c = s.customerId();
        assertEquals(List.of(
                "state agent_001 online", "state agent_001 ready",
                "state agent_001 ringing", "ring agent_001 " + s.id() + " 30", "queue " + c + " 1 0",
                "cancelled agent_001 " + s.id() + " timeout", "state agent_001 online", "queue " + c + " 1 180",
                "state agent_001 ready", "state agent_001 ringing", "ring agent_001 " + s.id() + " 30",
                "queue " + c + " 1 0",
                "state agent_001 busy", "accepted agent_001 " + s.id() + " audio false"), events.told);
        assertEquals(SessionStatus.ACTIVE, sm.require(s.id()).status());
        assertTrue(r.queue().isEmpty());
    }


    @Test
    void offersCallsRoundRobinToTheLongestIdleAgent() {
        start(4, true, Duration.ZERO);
        for (int i = 1; i <= 4; i++) {
            checkInReady(agent(i));
            clock.advance(Duration.ofSeconds(1));
        }
        Map<String, Integer> handled = new HashMap<>();
        List<String> order = new ArrayList<>();
        for (int n = 0; n < 40; n++) {
            Session s = arrive("c" + n);
            String who = ringer(s.id());
            assertNotNull(who, "nobody was offered session " + n);
            order.add(who);
            accept(who, s.id());
            assertEquals(AgentState.BUSY, state(who));
            clock.advance(Duration.ofSeconds(7));
            sessions.end(s.id(), who);
            assertEquals(AgentState.READY, state(who));
            handled.merge(who, 1, Integer::sum);
            clock.advance(Duration.ofSeconds(1));
        }
        assertEquals(Map.of(agent(1), 10, agent(2), 10, agent(3), 10, agent(4), 10), handled);
        assertEquals(List.of(agent(1), agent(2), agent(3), agent(4), agent(1)), order.subList(0, 5));
    }

    @Test
    void everyOfferGoesToTheLongestIdleReadyAgentOverManyRandomSessions() {
        int agents = 7;
        start(agents, true, Duration.ZERO);
        Random rnd = new Random(42);
        Map<String, Instant> freeSince = new LinkedHashMap<>(); // the test's own model of idle times
        for (int i = 1; i <= agents; i++) {
            checkInReady(agent(i));
            freeSince.put(agent(i), clock.instant());
            clock.advance(Duration.ofMillis(1 + rnd.nextInt(1000)));
        }
        Map<String, String> callOf = new HashMap<>(); // agent -> session
        List<String> waiting = new ArrayList<>(); // the model's FIFO queue
        Map<String, Integer> handled = new HashMap<>();
        int offers = 0;
        for (int step = 0; step < 3000; step++) {
            clock.advance(Duration.ofMillis(1 + rnd.nextInt(5000)));
            if (rnd.nextInt(100) < 45) {
                waiting.add(arrive("c" + step).id());
            } else if (!callOf.isEmpty()) {
                List<String> busy = new ArrayList<>(callOf.keySet());
                Collections.sort(busy);
                String who = busy.get(rnd.nextInt(busy.size()));
                sessions.end(callOf.remove(who), who);
                freeSince.put(who, clock.instant());
            }
            // Whatever rings now must be: the oldest waiting sessions, each to the longest idle free agent.
            while (!waiting.isEmpty()) {
                String sid = waiting.get(0);
                String who = ringer(sid);
                String expected = freeSince.entrySet().stream().filter(e -> !callOf.containsKey(e.getKey()))
                        .min(Map.Entry.<String, Instant>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                        .map(Map.Entry::getKey).orElse(null);
                assertEquals(expected, who, "step " + step + ": session " + sid + " offered to the wrong agent");
                if (who == null) {
                    break;
                }
                offers++;
                accept(who, sid);
                assertEquals(SessionStatus.ACTIVE, sessions.require(sid).status());
                callOf.put(who, sid);
                handled.merge(who, 1, Integer::sum);
                waiting.remove(0);
            }
            assertEquals(waiting.size(), router.queue().size());
        }
        assertTrue(offers > 1000, "too few offers to say anything: " + offers);
        int min = Collections.min(handled.values());
        int max = Collections.max(handled.values());
        assertEquals(agents, handled.size());
        assertTrue(max - min <= offers / agents / 4, "unfair split: " + handled);
    }

    @Test
    void ringTimeoutOffersTheCallToTheNextAgentAndSetsTheSilentOneNotReady() {
        start(2, true, Duration.ZERO);
        checkInReady(agent(1));
        clock.advance(Duration.ofSeconds(1));
        checkInReady(agent(2));
        Session s = arrive("John");
        assertEquals(s.id(), ringing(agent(1)));
        JsonNode offer = last(agent(1), "incoming_call");
        assertEquals(s.id(), offer.get("session_id").asText());
        assertEquals(30, offer.get("ring_timeout").asInt());
        assertEquals(clock.instant().plus(RING).toString(), offer.get("expires_at").asText());
        assertEquals(AgentState.RINGING, state(agent(1)));

        tick(Duration.ofSeconds(29));
        assertEquals(s.id(), ringing(agent(1)), "rang over before ring_timeout");
        tick(Duration.ofSeconds(1));
        assertNull(ringing(agent(1)));
        assertEquals(AgentState.ONLINE, state(agent(1)));
        assertEquals("timeout", last(agent(1), "incoming_cancelled").get("reason").asText());
        assertEquals(s.id(), ringing(agent(2)));

        // The second one times out too: nobody is Ready, the session waits in the queue.
        tick(RING);
        assertNull(ringer(s.id()));
        assertEquals(1, router.queue().size());
        assertEquals(SessionStatus.WAITING, sessions.require(s.id()).status());
        // Ready again: it is offered once more, and accepting makes the call Active.
        ready(agent(1));
        assertEquals(s.id(), ringing(agent(1)));
        accept(agent(1), s.id());
        assertEquals(agent(1), sessions.require(s.id()).agentId());
        assertEquals(SessionStatus.ACTIVE, sessions.require(s.id()).status());
        assertEquals("video", last(agent(1), "incoming_accepted").get("media").asText());
        assertEquals(0, router.queue().size());
    }

    @Test
    void rejectOffersTheCallToTheNextAgentAndNeverBackToTheRejecter() {
        start(3, true, Duration.ZERO);
        checkInReady(agent(1));
        clock.advance(Duration.ofSeconds(1));
        checkInReady(agent(2));
        Session s = arrive("John");
        reject(agent(1), s.id());
        assertEquals(AgentState.READY, state(agent(1)));
        assertEquals("rejected", last(agent(1), "incoming_cancelled").get("reason").asText());
        assertEquals(s.id(), ringing(agent(2)));
        reject(agent(2), s.id());
        assertNull(ringer(s.id()), "a session must not ring an agent who rejected it");
        // A new session still goes to the (ready) rejecters.
        Session t = arrive("Mary");
        assertEquals(t.id(), ringing(agent(1)));
        // A third agent becomes ready: the first session is offered to it.
        checkInReady(agent(3));
        assertEquals(s.id(), ringing(agent(3)));
        // Rejecting what is not ringing is an error to the agent, nothing changes.
        reject(agent(2), t.id());
        assertEquals("conflict", last(agent(2), "error").get("code").asText());
        assertEquals(t.id(), ringing(agent(1)));
    }

    @Test
    void agentWhoDisconnectsWhileRingingIsSkipped() {
        start(3, true, Duration.ZERO);
        checkInReady(agent(1));
        clock.advance(Duration.ofSeconds(1));
        checkInReady(agent(2));
        clock.advance(Duration.ofSeconds(1));
        checkInReady(agent(3));
        rooms.closeRoom(lobby(agent(3))); // gone before anything rings
        assertEquals(AgentState.OFFLINE, state(agent(3)));
        Session s = arrive("John");
        assertEquals(s.id(), ringing(agent(1)));
        rooms.closeRoom(lobby(agent(1))); // the socket drops while ringing
        assertEquals(AgentState.OFFLINE, state(agent(1)));
        assertEquals(s.id(), ringing(agent(2)));
        // The stale ring timer of the dropped agent changes nothing.
        tick(Duration.ofSeconds(29));
        assertEquals(s.id(), ringing(agent(2)));
        // Back online, checked in but not ready: not offered anything.
        checkIn(agent(1));
        assertEquals(AgentState.ONLINE, state(agent(1)));
        accept(agent(2), s.id());
        assertEquals(agent(2), sessions.require(s.id()).agentId());
        Session t = arrive("Mary");
        assertNull(ringer(t.id()));
        assertEquals(1, router.queue().get(0).position());
    }

    @Test
    void acceptedCallMakesTheAgentBusyThenWrapUpThenReady() {
        start(1, true, Duration.ofSeconds(10));
        Session s = arrive("John");
        customerJoins(s);
        assertEquals(1, last(s.customerId(), "queue_position").get("position").asInt());
        checkInReady(agent(1));
        accept(agent(1), s.id());
        assertEquals(AgentState.BUSY, state(agent(1)));
        assertEquals(agent(1), last(s.customerId(), "call_accepted").get("agent_id").asText());
        Session t = arrive("Mary");
        assertNull(ringer(t.id()), "a busy agent is not offered a call");
        tick(Duration.ofSeconds(60));
        sessions.end(s.id(), s.customerId());
        assertEquals(AgentState.WRAP_UP, state(agent(1)));
        assertEquals("wrap_up", last(agent(1), "agent_state").get("state").asText());
        tick(Duration.ofSeconds(9));
        assertEquals(AgentState.WRAP_UP, state(agent(1)));
        tick(Duration.ofSeconds(1));
        assertEquals(t.id(), ringing(agent(1)), "after wrap-up the agent is Ready and gets the waiting call");
    }

    @Test
    void endedWhileRingingWithdrawsTheOfferAndManualAssignStillWorks() {
        start(2, true, Duration.ZERO);
        checkInReady(agent(1));
        Session s = arrive("John");
        sessions.end(s.id(), s.customerId());
        assertEquals("ended", last(agent(1), "incoming_cancelled").get("reason").asText());
        assertEquals(AgentState.READY, state(agent(1)));

        Session t = arrive("Mary");
        assertEquals(t.id(), ringing(agent(1)));
        sessions.assign(t.id(), agent(2), "Agent 2"); // an admin assigns by hand
        assertEquals("assigned", last(agent(1), "incoming_cancelled").get("reason").asText());
        assertEquals(0, router.queue().size());
        // Accepting the withdrawn offer is refused; the manual assignee accepts in the call room.
        accept(agent(1), t.id());
        assertEquals("conflict", last(agent(1), "error").get("code").asText());
        assertEquals("joined", rooms.join("customer-service/" + t.id(), agent(2), agentToken(agent(2))));
        rooms.send("customer-service/" + t.id(), agent(2), "{\"action\":\"accept_call\"}");
        assertEquals(SessionStatus.ACTIVE, sessions.require(t.id()).status());
        assertEquals(AgentState.BUSY, state(agent(2)));
    }

    @Test
    void withoutAutoAssignNothingRingsButStatesAreKept() {
        start(1, false, Duration.ZERO);
        checkInReady(agent(1));
        Session s = arrive("John");
        assertNull(ringer(s.id()));
        assertTrue(router.queue().isEmpty());
        sessions.assign(s.id(), agent(1), "Agent 1");
        sessions.accept(s.id(), agent(1));
        assertEquals(AgentState.BUSY, state(agent(1)));
        sessions.end(s.id(), EndReason.CLOSED);
        assertEquals(AgentState.READY, state(agent(1)));
    }

    // ------------------------------------------------------------ queue

    @Test
    void waitingCustomersLearnTheirPositionAndEstimatedWait() {
        start(2, true, Duration.ZERO);
        checkIn(agent(1));
        Session[] s = new Session[3];
        for (int i = 0; i < 3; i++) {
            s[i] = arrive("c" + i);
            customerJoins(s[i]);
        }
        for (int i = 0; i < 3; i++) {
            JsonNode q = last(s[i].customerId(), "queue_position");
            assertEquals(i + 1, q.get("position").asInt());
            // No history yet: 180 s per call, one agent checked in but not staffing (Online): max(1, 0) = 1.
            assertEquals((i + 1) * 180L, q.get("estimated_wait").asLong());
        }
        sessions.end(s[0].id(), s[0].customerId());
        assertEquals(1, last(s[1].customerId(), "queue_position").get("position").asInt());
        assertEquals(2, last(s[2].customerId(), "queue_position").get("position").asInt());
        ready(agent(1));
        assertEquals(s[1].id(), ringing(agent(1)));
        assertEquals(0, last(s[1].customerId(), "queue_position").get("estimated_wait").asLong());
        accept(agent(1), s[1].id());
        assertEquals(1, last(s[2].customerId(), "queue_position").get("position").asInt());
        tick(Duration.ofSeconds(120));
        sessions.end(s[1].id(), agent(1));
        // The handled call took 120 s; agent_001 is Ready and rings for s[2]: estimated 0.
        assertEquals(s[2].id(), ringing(agent(1)));
        Session d = arrive("late");
        customerJoins(d);
        JsonNode q = last(d.customerId(), "queue_position");
        assertEquals(2, q.get("position").asInt());
        assertEquals(120, q.get("estimated_wait").asLong(), "one call ahead of it, at 120 s a call");
    }

    @Test
    void queuePositionsStayCorrectUnderConcurrentArrivalsAndDepartures() throws Exception {
        start(1, true, Duration.ZERO);
        int threads = 8;
        int each = 40;
        ExecutorService exec = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<Session>>> kept = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int seed = t;
                kept.add(exec.submit(() -> {
                    Random rnd = new Random(seed);
                    List<Session> mine = new ArrayList<>();
                    go.await();
                    for (int i = 0; i < each; i++) {
                        Session s = arrive("t" + seed + "-" + i);
                        customerJoins(s);
                        mine.add(s);
                        if (rnd.nextInt(3) == 0) { // a departure: some customer of this thread hangs up
                            Session gone = mine.remove(rnd.nextInt(mine.size()));
                            sessions.end(gone.id(), gone.customerId());
                        }
                    }
                    return mine;
                }));
            }
            go.countDown();
            List<QueueEntry> queue;
            List<List<Session>> perThread = new ArrayList<>();
            for (Future<List<Session>> f : kept) {
                perThread.add(f.get(60, TimeUnit.SECONDS));
            }
            queue = router.queue();
            int remaining = perThread.stream().mapToInt(List::size).sum();
            assertEquals(remaining, queue.size());
            Map<String, Integer> position = new HashMap<>();
            for (int i = 0; i < queue.size(); i++) {
                assertEquals(i + 1, queue.get(i).position());
                position.put(queue.get(i).sessionId(), i + 1);
            }
            for (List<Session> mine : perThread) {
                int prev = 0;
                for (Session s : mine) {
                    int p = position.get(s.id());
                    assertTrue(p > prev, "a thread's customers must stay in arrival order (FIFO)");
                    prev = p;
                    JsonNode told = last(s.customerId(), "queue_position");
                    assertEquals(p, told.get("position").asInt(), "customer " + s.customerId() + " was told a stale position");
                    assertEquals(queue.get(p - 1).estimatedWait(), told.get("estimated_wait").asLong());
                }
            }
            // Serving them one by one keeps everybody's position right.
            checkInReady(agent(1));
            for (int served = 0; served < 5; served++) {
                String sid = queue.get(served).sessionId();
                assertEquals(sid, ringing(agent(1)));
                accept(agent(1), sid);
                sessions.end(sid, agent(1));
                List<QueueEntry> now = router.queue();
                for (QueueEntry e : now) {
                    assertEquals(e.position(), last(e.customerId(), "queue_position").get("position").asInt());
                }
            }
        } finally {
            exec.shutdownNow();
        }
    }

    // ------------------------------------------------------------ transfer

    private Session activeCallWith(String agentId) {
        Session s = arrive("John");
        customerJoins(s);
        assertEquals(s.id(), ringing(agentId));
        accept(agentId, s.id());
        assertEquals("joined", rooms.join("customer-service/" + s.id(), agentId, agentToken(agentId)));
        return s;
    }

    @Test
    void transferRingsTheTargetAndMovesTheCallWhenItAccepts() {
        start(2, true, Duration.ZERO);
        checkInReady(agent(1));
        Session s = activeCallWith(agent(1));
        checkInReady(agent(2));
        String room = "customer-service/" + s.id();
        rooms.send(room, agent(1), "{\"action\":\"transfer_call\",\"to_agent_id\":\"agent_002\",\"to_agent_name\":\"Li\"}");
        assertEquals(agent(1), sessions.require(s.id()).agentId(), "nothing moves before the target accepts");
        assertEquals(s.id(), ringing(agent(2)));
        assertTrue(last(agent(2), "incoming_call").get("transfer").asBoolean());
        assertEquals(agent(1), last(agent(2), "incoming_call").get("from_agent_id").asText());
        assertEquals(agent(2), last(agent(1), "transfer_ringing").get("to_agent_id").asText());
        assertTrue(rooms.received(s.customerId(), "call_transferred").isEmpty());

        accept(agent(2), s.id());
        Session now = sessions.require(s.id());
        assertEquals(agent(2), now.agentId());
        assertEquals("Agent 2", now.agentName());
        assertEquals(SessionStatus.ACTIVE, now.status());
        assertEquals(agent(2), last(s.customerId(), "call_transferred").get("agent_id").asText());
        assertTrue(rooms.seated(room, s.customerId()), "the customer keeps its seat");
        assertFalse(rooms.seated(room, agent(1)));
        assertEquals(AgentState.BUSY, state(agent(2)));
        assertEquals(AgentState.READY, state(agent(1)));
    }

    @Test
    void transferTimeoutOrRejectLeavesTheCallWithTheTransferringAgent() {
        start(3, true, Duration.ZERO);
        checkInReady(agent(1));
        Session s = activeCallWith(agent(1));
        checkInReady(agent(2));
        String room = "customer-service/" + s.id();
        rooms.send(room, agent(1), "{\"action\":\"transfer_call\",\"to_agent_id\":\"agent_002\",\"to_agent_name\":\"Li\"}");
        tick(RING);
        assertEquals("timeout", last(agent(1), "transfer_failed").get("reason").asText());
        assertEquals(agent(1), sessions.require(s.id()).agentId());
        assertEquals(AgentState.BUSY, state(agent(1)));
        assertEquals(AgentState.ONLINE, state(agent(2)));
        // A target not Ready is refused at once.
        rooms.send(room, agent(1), "{\"action\":\"transfer_call\",\"to_agent_id\":\"agent_002\",\"to_agent_name\":\"Li\"}");
        assertEquals("conflict", last(agent(1), "error").get("code").asText());
        ready(agent(2));
        rooms.send(room, agent(1), "{\"action\":\"transfer_call\",\"to_agent_id\":\"agent_002\",\"to_agent_name\":\"Li\"}");
        reject(agent(2), s.id());
        assertEquals("rejected", last(agent(1), "transfer_failed").get("reason").asText());
        assertEquals(agent(1), sessions.require(s.id()).agentId());
        // A target without a lobby seat gets the call at once, as without the router.
        rooms.send(room, agent(1), "{\"action\":\"transfer_call\",\"to_agent_id\":\"agent_003\",\"to_agent_name\":\"Z\"}");
        assertEquals(agent(3), sessions.require(s.id()).agentId());
        assertEquals(AgentState.BUSY, state(agent(3)));
    }
}
