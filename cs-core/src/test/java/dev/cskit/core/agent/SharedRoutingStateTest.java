/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.api.session.Session;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The router on a state shared by a cluster, as {@code RedisRoutingState} is, here in memory with the cluster's
 * answers set by the test: every command is one step ({@code begin}/{@code commit}, never nested); the sweep takes
 * presence from an agent whose seat was on a node gone, and times out a ring whose lease holder is gone; a lobby
 * closing on a node the seat has left changes nothing; the timers run on the state's executor.
 */
class SharedRoutingStateTest extends AgentFixture {

    private final ClusterState state = new ClusterState();

    @Override
    protected RoutingState routingState() {
        return state;
    }

    @BeforeEach
    void twoAgentsReady() {
        start(2, true, Duration.ZERO);
        checkInReady(agent(1));
        clock.advance(Duration.ofSeconds(1));
        checkInReady(agent(2));
    }

    @Test
    void everyCommandIsOneStepOfTheSharedState() {
        Session s = arrive("Ann");
        accept(agent(1), s.id());
        router.agents();
        router.sweep();
        assertTrue(state.begins > 5, "steps: " + state.begins);
        assertEquals(state.begins, state.commits);
        assertEquals(1, state.deepest, "a step never begins inside another");
        assertEquals(Set.of(agent(1), agent(2)), state.taken, "each seat taken here was told to the state");
    }

    @Test
    void theSweepTakesPresenceFromAnAgentWhoseNodeIsGone() {
        Session s = arrive("Ann");
        assertEquals(s.id(), ringing(agent(1)));
        router.sweep();
        assertEquals(AgentState.RINGING, state(agent(1)), "its node lives: nothing to take over");

        state.seatsLost.add(agent(1));
        router.sweep();
        assertEquals(AgentState.OFFLINE, state(agent(1)));
        assertEquals("presence_lost", last(agent(1), "incoming_cancelled").get("reason").asText());
        assertEquals(s.id(), ringing(agent(2)), "the ring moved on");
    }

    @Test
    void aLobbyClosingOnANodeTheSeatHasLeftChangesNothing() {
        state.seatsElsewhere.add(agent(1));
        router.unseated(agent(1)); // its old socket closes after the desk checked in on another node
        assertEquals(AgentState.READY, state(agent(1)));
        state.seatsElsewhere.clear();
        router.unseated(agent(1));
        assertEquals(AgentState.OFFLINE, state(agent(1)));
    }

    @Test
    void theSweepTimesOutARingWhoseLeaseHolderIsGone() {
        Session s = arrive("Ann");
        state.orphaned = true;
        router.sweep();
        assertEquals(AgentState.ONLINE, state(agent(1)), "a silent agent is set not ready, as by its own timer");
        assertEquals("timeout", last(agent(1), "incoming_cancelled").get("reason").asText());
        assertEquals(s.id(), ringing(agent(2)));
        router.sweep(); // agent 2's ring is orphaned too
        assertNull(ringer(s.id()));
        assertEquals(1, router.queue().size(), "back in the queue, nobody ready");
    }

    @Test
    void theRingTimerRunsOnTheStatesExecutor() {
        Session s = arrive("Ann");
        tick(RING);
        assertEquals(s.id(), ringing(agent(1)), "due, but handed to the state's executor");
        assertEquals(1, state.timerTasks.size());
        state.timerTasks.remove(0).run();
        assertEquals(s.id(), ringing(agent(2)));
    }

    /** In memory, with what a cluster would answer set by the test, counting its steps. */
    private static final class ClusterState implements RoutingState {
        private final InMemoryRoutingState memory = new InMemoryRoutingState();
        final Set<String> seatsLost = new HashSet<>();
        final Set<String> seatsElsewhere = new HashSet<>();
        final Set<String> taken = new HashSet<>();
        final List<Runnable> timerTasks = new ArrayList<>();
        boolean orphaned;
        int begins;
        int commits;
        int depth;
        int deepest;

        @Override
        public void begin() {
            begins++;
            deepest = Math.max(deepest, ++depth);
        }

        @Override
        public void commit() {
            commits++;
            depth--;
        }

        @Override
        public Executor timerExecutor() {
            return timerTasks::add;
        }

        @Override
        public void seatTaken(String agentId) {
            taken.add(agentId);
        }

        @Override
        public boolean seatHere(String agentId) {
            return !seatsElsewhere.contains(agentId);
        }

        @Override
        public boolean seatLost(String agentId) {
            return seatsLost.contains(agentId);
        }

        @Override
        public boolean ringOrphaned(Ring ring, Instant now) {
            return orphaned;
        }

        @Override
        public Optional<AgentRecord> agent(String agentId) {
            return memory.agent(agentId);
        }

        @Override
        public List<AgentRecord> agents() {
            return memory.agents();
        }

        @Override
        public void putAgent(AgentRecord agent) {
            memory.putAgent(agent);
        }

        @Override
        public void removeAgent(String agentId) {
            memory.removeAgent(agentId);
        }

        @Override
        public Optional<QueuedCall> queued(String sessionId) {
            return memory.queued(sessionId);
        }

        @Override
        public List<QueuedCall> queue() {
            return memory.queue();
        }

        @Override
        public void putQueued(QueuedCall call) {
            memory.putQueued(call);
        }

        @Override
        public Optional<QueuedCall> dequeue(String sessionId) {
            return memory.dequeue(sessionId);
        }

        @Override
        public void addHandlingTime(long seconds, int keep) {
            memory.addHandlingTime(seconds, keep);
        }

        @Override
        public List<Long> handlingTimes() {
            return memory.handlingTimes();
        }

        @Override
        public long nextRingId() {
            return memory.nextRingId();
        }
    }
}
