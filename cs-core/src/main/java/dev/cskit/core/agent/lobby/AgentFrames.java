/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.agent.lobby;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cskit.api.room.RoomService;
import dev.cskit.api.room.RoomType;
import dev.cskit.api.session.Session;
import dev.cskit.core.agent.AgentView;
import dev.cskit.core.agent.CancelReason;
import dev.cskit.core.agent.Ring;
import dev.cskit.core.agent.RoutingEvents;
import dev.cskit.core.json.SessionJson;
import dev.cskit.core.session.SessionManager;
import java.time.Duration;
import java.util.Objects;

/**
 * The router's {@link RoutingEvents} as room frames (README "Agent pool, routing and the visitor queue"):
 * {@code agent_state}, {@code incoming_call}, {@code incoming_cancelled} and {@code incoming_accepted} to the
 * agent's lobby, {@code transfer_ringing} and {@code transfer_failed} to the transferring agent and
 * {@code queue_position} to a waiting customer in their call room.
 *
 * <p><b>Threading:</b> thread-safe and stateless; sends through {@link RoomService#sendTo}, which never blocks.
 */
public final class AgentFrames implements RoutingEvents {

    private static final RoomType CALL_ROOM = RoomType.CUSTOMER_SERVICE;

    private final RoomService rooms;
    private final SessionManager sessions;

    /** @param sessions where {@code incoming_call} reads the session it shows */
    public AgentFrames(RoomService rooms, SessionManager sessions) {
        this.rooms = Objects.requireNonNull(rooms, "rooms");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
    }

    @Override
    public void agentState(AgentView a) {
        ObjectNode f = frame("agent_state");
        f.put("agent_id", a.id());
        f.put("state", a.state().wireName());
        f.put("since", SessionJson.time(a.stateSince()));
        f.put("ringing_session", a.ringingSession());
        f.put("wrap_up_until", a.wrapUntil() == null ? null : SessionJson.time(a.wrapUntil()));
        toLobby(a.id(), f);
    }

    @Override
    public void incomingCall(Ring r, Duration ringTimeout) {
        ObjectNode f = frame("incoming_call");
        f.put("session_id", r.sessionId());
        f.put("room_id", CALL_ROOM.roomId(r.sessionId()));
        sessions.get(r.sessionId()).ifPresent(s -> f.set("session", SessionJson.toNode(s, sessions.clock().instant())));
        f.put("ring_timeout", ringTimeout.toSeconds());
        f.put("expires_at", SessionJson.time(r.expiresAt()));
        f.put("transfer", r.transfer());
        f.put("from_agent_id", r.fromAgentId());
        toLobby(r.agentId(), f);
    }

    @Override
    public void incomingCancelled(String agentId, String sessionId, CancelReason reason) {
        ObjectNode f = frame("incoming_cancelled");
        f.put("session_id", sessionId);
        f.put("reason", reason.wireName());
        toLobby(agentId, f);
    }

    @Override
    public void incomingAccepted(String agentId, Session s, String media, boolean transfer) {
        ObjectNode f = frame("incoming_accepted");
        f.put("session_id", s.id());
        f.put("room_id", CALL_ROOM.roomId(s.id()));
        f.put("media", media);
        f.put("transfer", transfer);
        f.set("session", SessionJson.toNode(s, sessions.clock().instant()));
        toLobby(agentId, f);
    }

    @Override
    public void transferRinging(String byAgentId, Ring r, Duration ringTimeout) {
        ObjectNode f = frame("transfer_ringing");
        f.put("room_id", CALL_ROOM.roomId(r.sessionId()));
        f.put("session_id", r.sessionId());
        f.put("to_agent_id", r.agentId());
        f.put("to_agent_name", r.agentName());
        f.put("ring_timeout", ringTimeout.toSeconds());
        f.put("expires_at", SessionJson.time(r.expiresAt()));
        rooms.sendTo(CALL_ROOM.roomId(r.sessionId()), byAgentId, f.toString());
    }

    @Override
    public void transferFailed(String byAgentId, String sessionId, String toAgentId, CancelReason reason) {
        ObjectNode f = frame("transfer_failed");
        f.put("room_id", CALL_ROOM.roomId(sessionId));
        f.put("session_id", sessionId);
        f.put("to_agent_id", toAgentId);
        f.put("reason", reason.wireName());
        f.put("message", "agent " + toAgentId + " did not take the transfer (" + reason.wireName()
                + "); the call stays with you");
        rooms.sendTo(CALL_ROOM.roomId(sessionId), byAgentId, f.toString());
    }

    @Override
    public boolean queuePosition(String sessionId, String customerId, int position, long estimatedWait) {
        ObjectNode f = frame("queue_position");
        f.put("room_id", CALL_ROOM.roomId(sessionId));
        f.put("session_id", sessionId);
        f.put("position", position);
        f.put("estimated_wait", estimatedWait);
        return rooms.sendTo(CALL_ROOM.roomId(sessionId), customerId, f.toString());
    }

    /**
     * {@code signed_out} {@code {agent_id, reason, message}}: the desk's login no longer holds (the agent was
     * {@code disabled} or {@code removed}, or its {@code password_changed}); sent just before its seat is taken.
     */
    static String signedOut(String agentId, String reason, String message) {
        ObjectNode f = frame("signed_out");
        f.put("agent_id", agentId);
        f.put("reason", reason);
        f.put("message", message);
        return f.toString();
    }

    private static ObjectNode frame(String action) {
        ObjectNode f = SessionJson.MAPPER.createObjectNode();
        f.put("action", action);
        return f;
    }

    private void toLobby(String agentId, ObjectNode f) {
        rooms.sendTo(AgentLobby.AGENT_ROOM.roomId(agentId), agentId, f.toString());
    }
}
