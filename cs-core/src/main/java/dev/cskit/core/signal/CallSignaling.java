/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.signal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.room.JoinDecision;
import dev.cskit.api.room.JoinRequest;
import dev.cskit.api.room.Participant;
import dev.cskit.api.room.RoomCallbacks;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
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
 * {@code resume_call} act as the sender the host recorded; a frame whose {@code room_id} or {@code user_id}
 * names another room or user than that seat is refused ({@code bad_request}, {@code forbidden}). Broadcasts
 * ({@code call_accepted}, {@code call_ended}, {@code call_transferred}, {@code call_held},
 * {@code call_resumed}) come from the session listener, so they are sent once whichever way a change came.
 * A refused action gets {@code {"action":"error","code","message"}} to the sender only.
 *
 * <p><b>Threading:</b> callbacks are called on the host's I/O threads; {@link #onJoin} only reads memory.
 * {@link #onMessage} hands the work (which writes the journal) to the executor, serially per room so a
 * room's actions apply in the order sent. Thread-safe.
 */
public final class CallSignaling implements RoomCallbacks, SessionListener {

    private static final Logger LOG = LoggerFactory.getLogger(CallSignaling.class);
    private static final RoomType TYPE = RoomType.CUSTOMER_SERVICE;

    private final RoomService rooms;
    private final SessionManager sessions;
    private final PartyAuthorizer authorizer;
    private final Executor executor;
    private final ConcurrentHashMap<String, SerialExecutor> serial = new ConcurrentHashMap<>();
    private final @Nullable CallRouter router;

    /**
     * @param executor where room actions run (they may block on the store): the host's scheduler
     */
    public CallSignaling(RoomService rooms, SessionManager sessions, PartyAuthorizer authorizer, Executor executor) {
        this(rooms, sessions, authorizer, executor, null);
    }

    /**
     * @param executor where room actions run (they may block on the store): the host's scheduler
     * @param router   call routing (transfers ring their target, customers learn their queue position), or
     *                 {@code null} for none
     */
    public CallSignaling(RoomService rooms, SessionManager sessions, PartyAuthorizer authorizer, Executor executor,
                         @Nullable CallRouter router) {
        this.rooms = Objects.requireNonNull(rooms, "rooms");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
        this.executor = Objects.requireNonNull(executor, "executor");
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

    @Override
    public void onMessage(RoomMessage message) {
        serial.computeIfAbsent(message.roomId(), k -> new SerialExecutor(executor)).execute(() -> handle(message));
    }

    @Override
    public void onRoomClosed(String roomId) {
        serial.remove(roomId);
    }

    /** Applies one room action; runs on the executor. */
    void handle(RoomMessage m) {
        String roomId = m.roomId();
        String user = m.userId();
        if (!TYPE.owns(roomId)) {
            sendError(roomId, user, "not_found", "not a customer-service room");
            return;
        }
        String sessionId = TYPE.keyOf(roomId);
        JsonNode frame;
        try {
            frame = SessionJson.MAPPER.readTree(m.json());
        } catch (JsonProcessingException e) {
            sendError(roomId, user, "bad_request", "the frame is not JSON: " + e.getOriginalMessage());
            return;
        }
        if (frame == null || !frame.isObject()) {
            sendError(roomId, user, "bad_request", "a frame must be a JSON object with an action");
            return;
        }
        // PROTOCOL.md "Room WebSocket": an action is {"action","room_id","user_id"}. A frame naming another room
        // or user than the seat it came from is refused, not applied to the sender's own session.
        if (!names(frame, "room_id", roomId)) {
            sendError(roomId, user, "bad_request", "room_id must be " + roomId
                    + ", the room this connection joined (or left out)");
            return;
        }
        if (!names(frame, "user_id", user)) {
            sendError(roomId, user, "forbidden", "user_id must be " + user
                    + ", the user this connection joined as (or left out)");
            return;
        }
        try {
            switch (m.action()) {
                case "accept_call" -> sessions.accept(sessionId, user);
                case "end_call" -> sessions.end(sessionId, user);
                case "hold_call" -> sessions.hold(sessionId, user);
                case "resume_call" -> sessions.resume(sessionId, user);
                case "transfer_call" -> {
                    String to = text(frame, "to_agent_id");
                    String toName = text(frame, "to_agent_name");
                    if (to == null || toName == null) {
                        sendError(roomId, user, "bad_request",
                                "transfer_call needs to_agent_id and to_agent_name, both strings");
                        return;
                    }
                    if (router == null || !router.transfer(sessionId, user, to, toName)) {
                        sessions.transfer(sessionId, user, to, toName);
                    }
                }
                default -> sendError(roomId, user, "unknown_action", "unknown action '" + m.action()
                        + "'; use accept_call, end_call, transfer_call, hold_call or resume_call");
            }
        } catch (SessionException e) {
            sendError(roomId, user, e.kind().code(), e.getMessage());
        }
    }

    /** True if {@code field} is absent, null, or the string {@code expected}. */
    private static boolean names(JsonNode frame, String field, String expected) {
        JsonNode v = frame.get(field);
        return v == null || v.isNull() || (v.isTextual() && v.asText().equals(expected));
    }

    private static @Nullable String text(JsonNode frame, String field) {
        JsonNode v = frame.get(field);
        return v != null && v.isTextual() && !v.asText().isBlank() ? v.asText() : null;
    }

    private void sendError(String roomId, String userId, String code, String message) {
        ObjectNode n = SessionJson.MAPPER.createObjectNode();
        n.put("action", "error");
        n.put("code", code);
        n.put("message", message);
        rooms.sendTo(roomId, userId, n.toString());
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
