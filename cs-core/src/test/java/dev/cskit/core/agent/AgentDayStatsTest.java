/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.api.session.Session;
import dev.cskit.core.MutableClock;
import dev.cskit.core.session.InMemorySessionStore;
import dev.cskit.core.session.SessionException;
import dev.cskit.core.session.SessionManager;
import java.io.IOException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The incremental per-day agent figures against a scan of every session (what {@code GET /agents} computed
 * before), after every step of random call traffic that crosses several UTC midnights, and after a restart.
 */
class AgentDayStatsTest {

    private final MutableClock clock = new MutableClock();

    @Test
    void agreesWithAScanOfEverySessionThroughRandomTrafficAndMidnights() throws IOException {
        InMemorySessionStore store = new InMemorySessionStore();
        SessionManager m = new SessionManager(store, clock, 10_000, Duration.ofDays(30));
        m.restore();
        AgentDayStats stats = AgentDayStats.attach(m);
        Random r = new Random(11);
        List<String> ids = new ArrayList<>();
        List<String> ended = new ArrayList<>();
        String[] agents = {"agent_1", "agent_2", "agent_3"};
        int checks = 0;
        long sawHandled = 0;
        long sawRated = 0;
        for (int step = 0; step < 4000; step++) {
            int op = r.nextInt(100);
            String id = ids.isEmpty() ? null : ids.get(r.nextInt(ids.size()));
            String agent = agents[r.nextInt(agents.length)];
            try {
                if (op < 15 || id == null) {
                    ids.add(m.create("t", "c", null).id());
                } else if (op < 30) {
                    m.assign(id, agent, agent);
                } else if (op < 45) {
                    Session s = m.require(id);
                    if (s.agentId() != null) {
                        m.accept(id, s.agentId());
                    }
                } else if (op < 58) {
                    Session s = m.require(id);
                    m.end(id, r.nextBoolean() ? s.customerId() : String.valueOf(s.agentId()));
                    ended.add(id);
                } else if (op < 62) {
                    m.transfer(id, null, agent, agent);
                } else if (op < 75) {
                    // mostly one of the calls that ended last, so that today's figures get ratings
                    String target = ended.isEmpty() ? id : ended.get(ended.size() - 1 - r.nextInt(Math.min(3, ended.size())));
                    m.rate(target, 1 + r.nextInt(5), null);
                } else if (op < 78) {
                    m.close(id);
                } else if (op < 96) {
                    clock.advance(Duration.ofSeconds(r.nextInt(120)));
                } else {
                    clock.advance(Duration.ofHours(1 + r.nextInt(10))); // midnights pass now and then
                }
            } catch (SessionException refused) {
                // A transition this state does not allow: nothing changed, which the comparison also checks.
            }
            if (step % 10 == 0) {
                Map<String, AgentDayStats.Day> expected = scan(m);
                assertEquals(expected, stats.today(), "step " + step);
                sawHandled += expected.values().stream().mapToLong(AgentDayStats.Day::handled).sum();
                sawRated += expected.values().stream().mapToLong(AgentDayStats.Day::rated).sum();
                for (String a : agents) {
                    assertEquals(scan(m).getOrDefault(a, AgentDayStats.Day.EMPTY), stats.today(a));
                }
                checks++;
            }
        }
        assertEquals(400, checks);
        assertTrue(sawHandled > 100 && sawRated > 50, "the traffic must end and rate calls: " + sawHandled
                + " handled, " + sawRated + " rated over the checks");

        // A restart: the figures come back from the restored sessions.
        InMemorySessionStore copy = new InMemorySessionStore();
        for (Session s : store.load()) {
            copy.put(s);
        }
        SessionManager again = new SessionManager(copy, clock, 10_000, Duration.ofDays(30));
        again.restore();
        assertEquals(scan(m), AgentDayStats.attach(again).today());
    }

    @Test
    void aCallCountsOnTheDayItEndsForTheAgentWhoEndsItAndItsRatingFollows() {
        SessionManager m = new SessionManager(new InMemorySessionStore(), clock, 100, Duration.ofDays(3));
        AgentDayStats stats = AgentDayStats.attach(m);
        Session s = m.create("t", "c", null);
        m.assign(s.id(), "agent_1", "One");
        m.accept(s.id(), "agent_1");
        m.transfer(s.id(), "agent_1", "agent_2", "Two");
        clock.advance(Duration.ofSeconds(75));
        m.end(s.id(), "agent_2");
        assertEquals(new AgentDayStats.Day(1, 75, 0, 0), stats.today("agent_2"));
        assertEquals(AgentDayStats.Day.EMPTY, stats.today("agent_1"));
        assertNull(stats.today("agent_2").averageRating());
        m.rate(s.id(), 4, "ok");
        assertEquals(new AgentDayStats.Day(1, 75, 1, 4), stats.today("agent_2"));
        assertEquals(4.0, stats.today("agent_2").averageRating());

        Session never = m.create("t", "c", null); // ended without being accepted: not a handled call
        m.assign(never.id(), "agent_2", "Two");
        m.close(never.id());
        assertEquals(1, stats.today("agent_2").handled());

        clock.advance(Duration.ofDays(1));
        assertEquals(AgentDayStats.Day.EMPTY, stats.today("agent_2"), "a new day starts empty");
        assertEquals(Map.of(), stats.today());
    }

    /** What GET /agents computed before: every ended, accepted session that ended today, by its agent. */
    private Map<String, AgentDayStats.Day> scan(SessionManager m) {
        LocalDate day = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        Map<String, long[]> out = new HashMap<>();
        for (Session s : m.all()) {
            if (s.isEnded() && s.acceptedAt() != null && s.agentId() != null
                    && LocalDate.ofInstant(s.endedAt(), ZoneOffset.UTC).equals(day)) {
                long[] c = out.computeIfAbsent(s.agentId(), k -> new long[4]);
                c[0]++;
                c[1] += s.durationSeconds(s.endedAt());
                if (s.rating() != null) {
                    c[2]++;
                    c[3] += s.rating().stars();
                }
            }
        }
        Map<String, AgentDayStats.Day> days = new HashMap<>();
        out.forEach((a, c) -> days.put(a, new AgentDayStats.Day(c[0], c[1], c[2], c[3])));
        return days;
    }
}
