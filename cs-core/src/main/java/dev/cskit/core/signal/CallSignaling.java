/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.signal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.room.JoinDecision;
import dev.cskit.api.room.JoinRequest;
import dev.cskit.api.room.Participant;
import dev.cskit.api.room.RoomCallbacks;
import dev.cskit.api.room.RoomError;
import dev.cskit.api.room.RoomInfo;
import dev.cskit.api.room.RoomMessage;
import dev.cskit.api.room.RoomService;
import dev.cskit.api.room.RoomType;
import dev.cskit.api.session.Session;
import dev.cskit.api.session.SessionStatus;
import dev.cskit.core.auth.PartyAuthorizer;
import dev.cskit.core.json.SessionJson;
import dev.cskit.core.session.SessionException;
import dev.cskit.core.session.SessionListener;
import dev.cskit.core.session.SessionManager;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The customer-service signaling: room callbacks for {@link RoomType#CUSTOMER_SERVICE} and a
 * {@link SessionListener} that tells the room about every session change, wherever it was made (a room
 * action, an HTTP call, the timeout sweep, shutdown).
 *
 * <p>Join: room id {@code customer-service/{session id}} of a session not ended, and a token that
 * {@link PartyAuthorizer} admits for the claimed user id; refusals use the codes {@code not_found},
 * {@code session_ended}, {@code unauthorized}, {@code forbidden}. The customer joins as the session's
 * {@code customer_id} (role {@code customer}), the agent as its agent id (role {@code agent}).
 *
 * <p>Actions {@code accept_call}, {@code end_call}, {@code transfer_call}, {@code hold_call},
 * {@code resume_call} act as the sender the host recorded. The host has refused frames whose {@code room_id} or
 * {@code user_id} names another room or user than that seat ({@code bad_request}, {@code forbidden};
 * {@link dev.cskit.api.room.RoomService}); the same check is made here again in case a host does not.
 * Broadcasts ({@code call_accepted}, {@code call_ended}, {@code call_transferred}, {@code call_held},
 * {@code call_resumed}) come from the session listener, so they are sent once whichever way a change came.
 * A refused action gets {@code {"action":"error","code","message"}} ({@link RoomError}) to the sender only.
 *
 * <p><b>Threading:</b> callbacks run on the host's room threads, one at a time per room (the host's
 * serializer is the only one); {@link #onJoin} only reads memory, {@link #onMessage} applies the action at
 * once and may block on the session store. Thread-safe.
 */
public final class CallSignaling implements RoomCallbacks, SessionListener {

    private static final Logger LOG = LoggerFactory.getLogger(CallSignaling.class);
    private static final RoomType TYPE = RoomType.CUSTOMER_SERVICE;

    private final RoomService rooms;
    private final SessionManager sessions;
    private final PartyAuthorizer authorizer;
    private final @Nullable CallRouter router;

    public CallSignaling(RoomService rooms, SessionManager sessions, PartyAuthorizer authorizer) {
        this(rooms, sessions, authorizer, null);
    }

    /**
     * @param router call routing (transfers ring their target, customers learn their queue position), or
     *               {@code null} for none
     */
    public CallSignaling(RoomService rooms, SessionManager sessions, PartyAuthorizer authorizer,
                         @Nullable CallRouter router) {
        this.rooms = Objects.requireNonNull(rooms, "rooms");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
        this.router = router;
    }

    // ---------------------------------------------------------------- room callbacks

    @Override
    public JoinDecision onJoin(JoinRequest request) {
        if (!TYPE.owns(request.roomId())) {
            return JoinDecision.refuse("not_found", "a customer-service room id is customer-service/{session_id}");
        }
        PartyAuthorizer.Result r = authorizer.authorize(request.token(), TYPE.keyOf(request.roomId()),
                request.userId(), false);
        if (r instanceof PartyAuthorizer.Refused no) {
            return JoinDecision.refuse(no.code(), no.message());
        }
        PartyAuthorizer.Party party = (PartyAuthorizer.Party) r;
        return JoinDecision.accept(party.displayName(), party.role().wireName());
    }

    @Override
    public void onJoined(String roomId, Participant participant) {
        LOG.debug("{} joined {} as {}", participant.userId(), roomId, participant.role());
        if (router != null && TYPE.owns(roomId)) {
            router.partyJoined(TYPE.keyOf(roomId), participant.userId());
        }
    }

    /** Applies one room action, as the sender the host recorded; may block on the session store. */
    @Override
    public void onMessage(RoomMessage m) {
        String roomId = m.roomId();
        String user = m.userId();
        if (!TYPE.owns(roomId)) {
            sendError(roomId, user, "not_found", "not a customer-service room");
            return;
        }
        String sessionId = TYPE.keyOf(roomId);
        // The host's seat check, once more: a frame naming another room or user is never applied to this seat.
        Optional<RoomError> foreign = RoomError.checkSeat(roomId, user, m.fields().get("room_id"),
                m.fields().get("user_id"));
        if (foreign.isPresent()) {
            rooms.sendError(roomId, user, foreign.get());
            return;
        }
        try {
            switch (m.action()) {
                case "accept_call" -> sessions.accept(sessionId, user);
                case "end_call" -> sessions.end(sessionId, user);
                case "hold_call" -> sessions.hold(sessionId, user);
                case "resume_call" -> sessions.resume(sessionId, user);
                case "transfer_call" -> {
                    Optional<String> to = m.field("to_agent_id");
                    Optional<String> toName = m.field("to_agent_name");
                    if (to.isEmpty() || toName.isEmpty()) {
                        sendError(roomId, user, "bad_request",
                                "transfer_call needs to_agent_id and to_agent_name, both strings");
                        return;
                    }
                    if (router == null || !router.transfer(sessionId, user, to.get(), toName.get())) {
                        sessions.transfer(sessionId, user, to.get(), toName.get());
                    }
                }
                default -> sendError(roomId, user, "unknown_action", "unknown action '" + m.action()
                        + "'; use accept_call, end_call, transfer_call, hold_call or resume_call");
            }
        } catch (SessionException e) {
            sendError(roomId, user, e.kind().code(), e.getMessage());
        }
    }

    private void sendError(String roomId, String userId, String code, String message) {
        rooms.sendError(roomId, userId, new RoomError(code, message));
    }

    // ---------------------------------------------------------------- session changes

    /** The parties' frames go out after the media changed and before routing and integrators hear of it. */
    @Override
    public Phase phase() {
        return Phase.SIGNALING;
    }

    @Override
    public void onChanged(@Nullable Session before, Session after) {
        if (before == null) {
            return;
        }
        String roomId = TYPE.roomId(after.id());
        if (!before.isEnded() && after.isEnded()) {
            ObjectNode f = frame("call_ended", roomId, after);
            f.put("reason", after.endReason().wireName());
            f.put("duration", after.durationSeconds(after.endedAt()));
            rooms.broadcast(roomId, f.toString());
            rooms.closeRoom(roomId);
            return;
        }
        if (after.isEnded()) {
            return; // a rating: nobody is in the room any more
        }
        if (before.status() == SessionStatus.WAITING && after.status() == SessionStatus.ACTIVE) {
            ObjectNode f = frame("call_accepted", roomId, after);
            f.put("agent_id", after.agentId());
            f.put("accepted_at", SessionJson.time(after.acceptedAt()));
            rooms.broadcast(roomId, f.toString());
        } else if (before.agentId() != null && !before.agentId().equals(after.agentId())) {
            ObjectNode f = frame("call_transferred", roomId, after);
            f.put("agent_id", after.agentId());
            f.put("agent_name", after.agentName());
            String json = f.toString();
            Optional<RoomInfo> room = rooms.room(roomId);
            if (room.isPresent()) {
                for (Participant p : room.get().participants()) {
                    if (!p.userId().equals(before.agentId())) {
                        rooms.sendTo(roomId, p.userId(), json);
                    }
                }
            }
            rooms.removeUser(roomId, before.agentId(), json);
        } else if (!before.onHold() && after.onHold()) {
            rooms.broadcast(roomId, frame("call_held", roomId, after).toString());
        } else if (before.onHold() && !after.onHold()) {
            rooms.broadcast(roomId, frame("call_resumed", roomId, after).toString());
        }
    }

    private ObjectNode frame(String action, String roomId, Session s) {
        ObjectNode n = SessionJson.MAPPER.createObjectNode();
        n.put("action", action);
        n.put("room_id", roomId);
        n.put("session_id", s.id());
        n.set("session", SessionJson.toNode(s, sessions.clock().instant()));
        return n;
    }
}
