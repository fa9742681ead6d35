/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.agent.lobby;

import dev.cskit.api.AgentAccount;
import dev.cskit.api.Ids;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.room.JoinDecision;
import dev.cskit.api.room.JoinRequest;
import dev.cskit.api.room.LeaveReason;
import dev.cskit.api.room.Participant;
import dev.cskit.api.room.RoomCallbacks;
import dev.cskit.api.room.RoomError;
import dev.cskit.api.room.RoomMessage;
import dev.cskit.api.room.RoomService;
import dev.cskit.api.room.RoomType;
import dev.cskit.core.agent.AgentRouter;
import dev.cskit.core.auth.AgentDirectory;
import dev.cskit.core.auth.TokenPrincipal;
import dev.cskit.core.auth.TokenService;
import dev.cskit.core.auth.TokenVerification;
import dev.cskit.core.session.SessionException;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agents' lobby: the room callbacks of {@link #AGENT_ROOM}. An agent checks in by taking the one seat of
 * its lobby room {@code agent/{agent_id}} ({@code ?type=cs_agent}) with its login token; losing the seat is
 * presence lost. Lobby actions {@code agent_ready}, {@code agent_not_ready},
 * {@code accept_incoming {session_id, media}} and {@code reject_incoming {session_id}} become commands of the
 * {@link AgentRouter}; what the router answers reaches the lobby as frames through {@link AgentFrames}, and a
 * refused action gets an {@code error} frame ({@link RoomError}).
 *
 * <p>When an agent is disabled or removed, or its password is reset, its desk is signed out
 * ({@link #changed}): it gets {@code signed_out} {@code {agent_id, reason, message}} and loses its seat, and its
 * login tokens are no longer accepted ({@link AgentDirectory#accepts}).
 *
 * <p><b>Threading:</b> callbacks run on the host's room threads, one at a time per lobby; {@link #onJoin}
 * reads memory and verifies a token, {@link #onMessage} may block on the session store (accepting takes the
 * session); {@link #changed} runs on the thread that changed the agent. Thread-safe; it keeps no state of its own.
 */
public final class AgentLobby implements RoomCallbacks, AgentDirectory.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(AgentLobby.class);

    /** The agents' lobby rooms: {@code agent/{agent_id}}, one seat, WebSocket {@code ?type=cs_agent}. */
    public static final RoomType AGENT_ROOM = new RoomType("cs_agent", 1, "agent/");

    private final AgentRouter router;
    private final TokenService tokens;
    private final AgentDirectory directory;
    private final RoomService rooms;

    public AgentLobby(AgentRouter router, TokenService tokens, AgentDirectory directory, RoomService rooms) {
        this.router = Objects.requireNonNull(router, "router");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.rooms = Objects.requireNonNull(rooms, "rooms");
    }

    @Override
    public JoinDecision onJoin(JoinRequest request) {
        if (!AGENT_ROOM.owns(request.roomId())) {
            return JoinDecision.refuse("not_found", "an agent lobby room id is agent/{agent_id}");
        }
        String agentId = AGENT_ROOM.keyOf(request.roomId());
        if (!agentId.equals(request.userId())) {
            return JoinDecision.refuse("forbidden", "join agent/" + agentId + " with user_id " + agentId);
        }
        if (!Ids.isValid(agentId)) {
            return JoinDecision.refuse("bad_request", Ids.problem("the agent id of the room", agentId));
        }
        // The token first: without one, a join must not tell which agent ids exist.
        if (request.token() == null || request.token().isBlank()) {
            return JoinDecision.refuse("unauthorized", "the lobby needs the agent's login token "
                    + "(POST /customer-service/agents/login)");
        }
        TokenVerification v = tokens.verify(request.token());
        if (v instanceof TokenVerification.Invalid bad) {
            return JoinDecision.refuse("unauthorized", bad.message());
        }
        TokenPrincipal p = ((TokenVerification.Valid) v).value();
        if (!(p instanceof TokenPrincipal.Agent a) || !a.agentId().equals(agentId)) {
            return JoinDecision.refuse("forbidden", "only " + agentId + "'s login token opens its lobby");
        }
        Optional<AgentAccount> account = directory.find(agentId);
        if (account.isEmpty()) {
            return JoinDecision.refuse("not_found", "no agent " + agentId + " is configured");
        }
        if (!account.get().enabled()) {
            return JoinDecision.refuse("unauthorized", "agent " + agentId + " may not log in any more");
        }
        return JoinDecision.accept(account.get().name(), "agent");
    }

    @Override
    public void onJoined(String roomId, Participant participant) {
        if (AGENT_ROOM.owns(roomId)) {
            router.seated(participant.userId());
        }
    }

    @Override
    public void onLeave(String roomId, String userId, LeaveReason reason) {
        if (AGENT_ROOM.owns(roomId)) {
            router.unseated(userId);
            LOG.debug("agent {} lost presence ({})", userId, reason);
        }
    }

    /** Signs out the desk of an agent disabled, removed or given a new password. */
    @Override
    public void changed(@Nullable AgentAccount before, @Nullable AgentAccount after) {
        if (before == null) {
            return;
        }
        String reason;
        if (after == null) {
            reason = "removed";
        } else if (!after.enabled()) {
            reason = "disabled";
        } else if (after.generation() != before.generation()) {
            reason = "password_changed";
        } else {
            return;
        }
        String id = before.id();
        rooms.removeUser(AGENT_ROOM.roomId(id), id, AgentFrames.signedOut(id, reason, "this desk is signed out: "
                + switch (reason) {
                    case "removed" -> "the agent was removed";
                    case "disabled" -> "the agent was disabled";
                    default -> "the agent's password was changed; log in again";
                }));
    }

    /** Applies one lobby action; may block on the session store. */
    @Override
    public void onMessage(RoomMessage m) {
        String agentId = m.userId();
        Optional<String> sid = m.field("session_id");
        try {
            switch (m.action()) {
                case "agent_ready" -> router.setStatus(agentId, "ready");
                case "agent_not_ready" -> router.setStatus(agentId, "not_ready");
                case "accept_incoming", "reject_incoming" -> {
                    if (sid.isEmpty()) {
                        refuse(agentId, "bad_request", m.action() + " needs session_id, a string");
                    } else if (!Ids.isValid(sid.get())) {
                        refuse(agentId, "bad_request", Ids.problem("session_id", sid.get()));
                    } else if (m.action().equals("accept_incoming")) {
                        router.accept(agentId, sid.get(), m.field("media").filter("audio"::equals).orElse("video"));
                    } else {
                        router.reject(agentId, sid.get());
                    }
                }
                default -> refuse(agentId, "unknown_action", "unknown action '" + m.action()
                        + "'; use agent_ready, agent_not_ready, accept_incoming or reject_incoming");
            }
        } catch (SessionException e) {
            refuse(agentId, e.kind().code(), e.getMessage());
        }
    }

    private void refuse(String agentId, String code, String message) {
        rooms.sendError(AGENT_ROOM.roomId(agentId), agentId, new RoomError(code, message));
    }
}
