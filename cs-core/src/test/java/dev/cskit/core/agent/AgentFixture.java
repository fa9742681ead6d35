/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cskit.api.AgentAccount;
import dev.cskit.api.CsConfig;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.room.RoomType;
import dev.cskit.api.session.Session;
import dev.cskit.core.FakeRoomService;
import dev.cskit.core.ManualScheduler;
import dev.cskit.core.MutableClock;
import dev.cskit.core.agent.lobby.AgentFrames;
import dev.cskit.core.agent.lobby.AgentLobby;
import dev.cskit.core.auth.AgentDirectory;
import dev.cskit.core.auth.LinkRole;
import dev.cskit.core.auth.PartyAuthorizer;
import dev.cskit.core.auth.TokenService;
import dev.cskit.core.session.InMemorySessionStore;
import dev.cskit.core.session.SessionManager;
import dev.cskit.core.signal.CallSignaling;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * The agent router with its lobby on a fake room host, a fake clock and a manual scheduler, as the plugin
 * wires them, and the helpers its tests share.
 */
public abstract class AgentFixture {

    protected static final Duration RING = Duration.ofSeconds(30);

    protected final MutableClock clock = new MutableClock();
    protected final ManualScheduler scheduler = new ManualScheduler(clock);
    protected final FakeRoomService rooms = new FakeRoomService(clock);
    protected SessionManager sessions;
    protected TokenService tokens;
    protected AgentRouter router;

    protected void start(int agentCount, boolean autoAssign, Duration wrapUp) {
        List<AgentAccount> accounts = new ArrayList<>();
        for (int i = 1; i <= agentCount; i++) {
            accounts.add(new AgentAccount(agent(i), "Agent " + i, ""));
        }
        CsConfig cfg = CsConfig.newBuilder().dataDir(null).agents(accounts).autoAssign(autoAssign)
                .ringTimeout(RING).wrapUp(wrapUp).build();
        sessions = new SessionManager(new InMemorySessionStore(), clock, 100_000, Duration.ofHours(1));
        tokens = new TokenService("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8), clock);
        AgentDirectory directory = new AgentDirectory(accounts);
        router = new AgentRouter(sessions, directory, cfg, scheduler, clock, new AgentFrames(rooms, sessions),
                routingState());
        CallSignaling signaling = new CallSignaling(rooms, sessions, new PartyAuthorizer(sessions, tokens), router);
        sessions.addListener(signaling);
        sessions.addListener(router);
        rooms.registerCallbacks(RoomType.CUSTOMER_SERVICE, signaling);
        rooms.registerCallbacks(AgentLobby.AGENT_ROOM, new AgentLobby(router, tokens, directory, rooms));
        router.restore();
    }

    /** Where the router keeps what it knows: in memory unless a test says otherwise. */
    protected RoutingState routingState() {
        return RoutingState.inMemory();
    }

    @AfterEach
    protected void stop() {
        scheduler.shutdownNow();
    }

    // ------------------------------------------------------------ helpers

    protected static String agent(int i) {
        return String.format("agent_%03d", i);
    }

    protected static String lobby(String agentId) {
        return "agent/" + agentId;
    }

    protected String agentToken(String agentId) {
        return tokens.issueAgent(agentId, 0, clock.instant().plus(Duration.ofHours(12)));
    }

    protected void checkIn(String agentId) {
        assertEquals("joined", rooms.join(lobby(agentId), agentId, agentToken(agentId)));
    }

    protected void ready(String agentId) {
        rooms.send(lobby(agentId), agentId, "{\"action\":\"agent_ready\"}");
        AgentState st = state(agentId);
        assertTrue(st == AgentState.READY || st == AgentState.RINGING, agentId + " is " + st);
    }

    protected void checkInReady(String agentId) {
        checkIn(agentId);
        ready(agentId);
    }

    protected void accept(String agentId, String sessionId) {
        rooms.send(lobby(agentId), agentId, "{\"action\":\"accept_incoming\",\"session_id\":\"" + sessionId
                + "\",\"media\":\"video\"}");
    }

    protected void reject(String agentId, String sessionId) {
        rooms.send(lobby(agentId), agentId, "{\"action\":\"reject_incoming\",\"session_id\":\"" + sessionId + "\"}");
    }

    protected AgentState state(String agentId) {
        return router.agent(agentId).orElseThrow().state();
    }

    protected @Nullable String ringing(String agentId) {
        return router.agent(agentId).orElseThrow().ringingSession();
    }

    /** Who the session is ringing, or null. */
    protected @Nullable String ringer(String sessionId) {
        return router.agents().stream().filter(a -> sessionId.equals(a.ringingSession())).map(AgentView::id)
                .findFirst().orElse(null);
    }

    protected Session arrive(String name) {
        return sessions.create("help", name, null);
    }

    protected void customerJoins(Session s) {
        String token = tokens.issueLink(s.id(), LinkRole.CUSTOMER, s.customerId(), clock.instant().plusSeconds(3600));
        assertEquals("joined", rooms.join("customer-service/" + s.id(), s.customerId(), token));
    }

    protected JsonNode last(String user, String action) {
        List<JsonNode> l = rooms.received(user, action);
        assertFalse(l.isEmpty(), user + " got no " + action + ": " + rooms.inbox(user));
        return l.get(l.size() - 1);
    }

    protected void tick(Duration d) {
        clock.advance(d);
        scheduler.runDue();
    }
}
