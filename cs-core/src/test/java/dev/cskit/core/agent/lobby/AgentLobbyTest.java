/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.agent.lobby;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.api.session.Session;
import dev.cskit.core.agent.AgentFixture;
import dev.cskit.core.agent.AgentState;
import dev.cskit.core.session.SessionException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The agents' lobby: who may take a lobby seat, and what its frames do, through the fake room host. */
class AgentLobbyTest extends AgentFixture {

    @Test
    void lobbyNeedsTheAgentsOwnLoginToken() {
        start(2, true, Duration.ZERO);
        assertEquals("unauthorized", rooms.join(lobby(agent(1)), agent(1), "nonsense"));
        assertEquals("forbidden", rooms.join(lobby(agent(1)), agent(1), agentToken(agent(2))));
        assertEquals("forbidden", rooms.join(lobby(agent(1)), agent(2), agentToken(agent(2))));
        assertEquals("not_found", rooms.join(lobby("agent_999"), "agent_999", agentToken("agent_999")));
        assertEquals(AgentState.OFFLINE, state(agent(1)));
        checkIn(agent(1));
        assertEquals("online", last(agent(1), "agent_state").get("state").asText());
        SessionException e = assertThrows(SessionException.class, () -> router.setStatus(agent(1), "sleepy"));
        assertEquals(SessionException.Kind.INVALID, e.kind());
        assertEquals(AgentState.ONLINE, state(agent(1)));
    }

    @Test
    void badLobbyFramesGetAnErrorAndChangeNothing() {
        start(1, true, Duration.ZERO);
        checkInReady(agent(1));
        Session s = arrive("John");
        assertEquals(s.id(), ringing(agent(1)));
        rooms.send(lobby(agent(1)), agent(1), "{\"action\":\"accept_incoming\"}");
        assertEquals("bad_request", last(agent(1), "error").get("code").asText());
        rooms.send(lobby(agent(1)), agent(1), "{\"action\":\"accept_incoming\",\"session_id\":7}");
        assertEquals("bad_request", last(agent(1), "error").get("code").asText());
        rooms.send(lobby(agent(1)), agent(1), "{\"action\":\"dance\"}");
        assertEquals("unknown_action", last(agent(1), "error").get("code").asText());
        // The host refuses a frame naming another agent's lobby before the lobby sees it.
        rooms.send(lobby(agent(1)), agent(1), "{\"action\":\"agent_not_ready\",\"user_id\":\"agent_002\"}");
        assertEquals("forbidden", last(agent(1), "error").get("code").asText());
        assertEquals(AgentState.RINGING, state(agent(1)));
        assertEquals(s.id(), ringing(agent(1)));
    }

    @Test
    void anAgentWhoLostItsSeatHearsItsStateOnReturnAndIsOfferedTheCallAgainWhenReady() {
        start(1, true, Duration.ZERO);
        checkInReady(agent(1));
        Session s = arrive("John");
        int offers = rooms.received(agent(1), "incoming_call").size();
        int states = rooms.received(agent(1), "agent_state").size();
        rooms.removeUser(lobby(agent(1)), agent(1), ""); // the seat is lost: presence lost
        assertEquals(AgentState.OFFLINE, state(agent(1)));
        assertEquals(null, ringing(agent(1)), "the ring was withdrawn with the seat");
        checkIn(agent(1));
        assertEquals("online", last(agent(1), "agent_state").get("state").asText());
        assertTrue(rooms.received(agent(1), "agent_state").size() > states);
        ready(agent(1));
        assertEquals(s.id(), last(agent(1), "incoming_call").get("session_id").asText());
        assertTrue(rooms.received(agent(1), "incoming_call").size() > offers);
    }
}
