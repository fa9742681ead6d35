/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.media;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cskit.api.Ids;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.room.RoomService;
import dev.cskit.api.room.RoomType;
import dev.cskit.api.session.Session;
import dev.cskit.api.session.SessionStatus;
import dev.cskit.core.auth.TokenPrincipal;
import dev.cskit.core.auth.TokenService;
import dev.cskit.core.auth.TokenVerification;
import dev.cskit.core.json.SessionJson;
import dev.cskit.core.session.SessionManager;
import dev.cskit.media.whip.PeerRole;
import dev.cskit.media.whip.PeerStats;
import dev.cskit.media.whip.StreamKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Supervisors listening to calls (issue 16): who may, with which token, and who listens now.
 *
 * <p>A supervisor (an agent account with {@code supervisor: true}, or the admin as {@value #ADMIN}) gets a short-lived
 * <em>monitor token</em> for one session ({@link #issue}). With it, and only for that session while it is not ended,
 * it may <b>play</b> the camera and screen streams of the session's customer and its current agent, and <b>publish</b>
 * its whisper {@code customer-service/{session}/{supervisor}/whisper} ({@link StreamKey.Source#WHISPER}), which only
 * the agent may play ({@link StreamPaths#refusal}). Anything else is refused 403; a token whose supervisor lost the role
 * (or was disabled or removed) is refused 401. The supervisor takes no seat in the room: its WHIP/WHEP resources are
 * owned by {@link #owner(String)} {@code supervisor:{id}}, which is no user id ({@link Ids} has no {@code :}), so
 * nothing counts it as a party (room lists, call quality, a lost peer's room seat).
 *
 * <p>A supervisor listens from its first live resource of the session to its last: then the session's agent alone gets
 * the room frame {@value #FRAME} {@code {room_id, session_id, supervisor, listening, badge, whisper_path}} (and again
 * when it takes its seat while someone listens). The customer hears of nothing.
 *
 * <p>Thread-safe: called from HTTP threads, media loops (a resource the network ended), session listeners and room
 * threads; it only reads the sessions, updates concurrent maps and sends frames.
 */
public final class Monitors {

    /** The room frame's action. */
    public static final String FRAME = "supervisor_listening";
    /** The supervisor id of the admin (the admin token, or a local client without one). */
    public static final String ADMIN = "admin";
    /** How long a monitor token lasts: ask again for a longer listen. */
    public static final Duration TOKEN_TTL = Duration.ofMinutes(15);
    private static final String OWNER_PREFIX = "supervisor:";

    /** What a bearer token may do with a stream: it is not a monitor token, or it is and may, or may not. */
    public sealed interface Access permits NotMonitor, Allowed, Refused {
    }

    /** Not a valid monitor token: the parties' rules apply (which report a bad or expired token). */
    public record NotMonitor() implements Access {
    }

    /** The one {@link NotMonitor}. */
    public static final Access NOT_MONITOR = new NotMonitor();

    /**
     * A monitor token that may.
     *
     * @param supervisorId the supervisor
     * @param owner        who owns the resources it makes ({@link #owner(String)})
     */
    public record Allowed(String supervisorId, String owner) implements Access {
    }

    /**
     * A monitor token that may not.
     *
     * @param status  401 (the supervisor lost its role), 403, 404 or 409 (the session ended)
     * @param message what went wrong and what to do
     */
    public record Refused(int status, String message) implements Access {
    }

    /**
     * A monitor token given out.
     *
     * @param token     the bearer token for WHEP/WHIP
     * @param expiresAt when it stops working
     */
    public record Grant(String token, Instant expiresAt) {
    }

    private final TokenService tokens;
    private final SessionManager sessions;
    private final RoomService rooms;
    private final Predicate<String> isSupervisor;
    private final boolean badge;
    private final Clock clock;
    /** Session → supervisor → its live resources' ids. */
    private final Map<String, Map<String, Set<String>>> listening = new ConcurrentHashMap<>();

    /**
     * @param isSupervisor whether an id still names a supervisor ({@value #ADMIN} included), checked at each use
     * @param badge        {@code supervisor_badge}: sent in the frame, the page shows a badge if true
     */
    public Monitors(TokenService tokens, SessionManager sessions, RoomService rooms, Predicate<String> isSupervisor,
                    boolean badge, Clock clock) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.rooms = Objects.requireNonNull(rooms, "rooms");
        this.isSupervisor = Objects.requireNonNull(isSupervisor, "isSupervisor");
        this.badge = badge;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The owner of a supervisor's WHIP/WHEP resources: {@code supervisor:{id}}, never a user id. */
    public static String owner(String supervisorId) {
        return OWNER_PREFIX + supervisorId;
    }

    /** Whether a resource's owner is a supervisor, not a party of the call. */
    public static boolean isMonitor(String owner) {
        return owner.startsWith(OWNER_PREFIX);
    }

    /** The whisper stream of {@code supervisorId} in a session. */
    public static StreamKey whisper(String sessionId, String supervisorId) {
        return new StreamKey(sessionId, supervisorId, StreamKey.Source.WHISPER);
    }

    /**
     * A monitor token for {@code supervisorId} (already checked to be a supervisor) on an active call it is not the
     * agent of.
     *
     * @throws IllegalArgumentException if the session is not active or the supervisor is its agent (the caller
     *                                  checks first, to answer 409)
     */
    public Grant issue(Session s, String supervisorId) {
        Objects.requireNonNull(s, "session");
        if (s.status() != SessionStatus.ACTIVE || supervisorId.equals(s.agentId())) {
            throw new IllegalArgumentException("session " + s.id() + " cannot be monitored by " + supervisorId);
        }
        Instant expires = clock.instant().plus(TOKEN_TTL);
        return new Grant(tokens.issueMonitor(s.id(), supervisorId, expires), expires);
    }

    /**
     * The answer of {@code POST /sessions/{id}/monitor}: {@code {session_id, supervisor, token, expires_at,
     * streams: [{party, user_id, stream_path, whep_url}], whisper: {stream_path, whip_url}}}.
     */
    public static ObjectNode toNode(Session s, String supervisorId, Grant g) {
        ObjectNode n = SessionJson.MAPPER.createObjectNode();
        n.put("session_id", s.id());
        n.put("supervisor", supervisorId);
        n.put("token", g.token());
        n.put("expires_at", SessionJson.time(g.expiresAt()));
        ArrayNode streams = n.putArray("streams");
        for (String party : List.of("customer", "agent")) {
            String user = party.equals("customer") ? s.customerId() : Objects.requireNonNull(s.agentId(), "agent");
            String path = StreamPaths.format(new StreamKey(s.id(), user));
            streams.addObject().put("party", party).put("user_id", user).put("stream_path", path)
                    .put("whep_url", WebRtcGateway.WHEP + "/" + path);
        }
        String whisper = StreamPaths.format(whisper(s.id(), supervisorId));
        n.putObject("whisper").put("stream_path", whisper).put("whip_url", WebRtcGateway.WHIP + "/" + whisper);
        return n;
    }

    /** What {@code token} may do with {@code stream} in {@code role}, if it is a monitor token. */
    public Access access(@Nullable String token, StreamKey stream, PeerRole role) {
        Access who = principal(token, stream.sessionId());
        if (!(who instanceof Allowed ok)) {
            return who;
        }
        Session s = sessions.get(stream.sessionId()).orElse(null);
        if (s == null) {
            return new Refused(404, "no session " + stream.sessionId());
        }
        if (s.isEnded()) {
            return new Refused(409, "session " + s.id() + " has ended; there is nothing to monitor");
        }
        if (ok.supervisorId().equals(s.agentId())) {
            return new Refused(403, ok.supervisorId() + " is the agent of session " + s.id()
                    + " now, not its supervisor");
        }
        if (role == PeerRole.PUBLISH) {
            StreamKey mine = whisper(s.id(), ok.supervisorId());
            return stream.equals(mine) ? ok : new Refused(403, "a monitor token publishes only its whisper: "
                    + StreamPaths.format(mine));
        }
        boolean party = stream.userId().equals(s.customerId()) || stream.userId().equals(s.agentId());
        if (stream.source() == StreamKey.Source.WHISPER || !party) {
            return new Refused(403, "a monitor token plays only the camera and screen streams of session " + s.id()
                    + "'s customer and agent");
        }
        return ok;
    }

    /**
     * Whether {@code token} is a monitor token of {@code sessionId} whose supervisor still has the role: for DELETE
     * and PATCH of its own resources (the session may have ended).
     */
    public Access principal(@Nullable String token, String sessionId) {
        if (token == null) {
            return NOT_MONITOR;
        }
        TokenVerification v = tokens.verify(token);
        if (!(v instanceof TokenVerification.Valid ok) || !(ok.value() instanceof TokenPrincipal.Monitor m)) {
            return NOT_MONITOR;
        }
        if (!m.sessionId().equals(sessionId)) {
            return new Refused(403, "the monitor token is for session " + m.sessionId() + ", not " + sessionId);
        }
        if (!isSupervisor.test(m.supervisorId())) {
            return new Refused(401, m.supervisorId() + " is no longer a supervisor (or was disabled or removed)");
        }
        return new Allowed(m.supervisorId(), owner(m.supervisorId()));
    }

    /**
     * Why {@code token} may not DELETE or PATCH {@code peer}, a supervisor's resource, or empty if it may: only the
     * monitor token of that supervisor and session may.
     */
    public Optional<Refused> refuseOwner(@Nullable String token, PeerStats peer) {
        Access a = principal(token, peer.stream().sessionId());
        if (a instanceof Refused no) {
            return Optional.of(no);
        }
        return a instanceof Allowed ok && ok.owner().equals(peer.owner()) ? Optional.empty()
                : Optional.of(new Refused(403, "resource " + peer.id() + " belongs to a supervisor: use its monitor "
                        + "token"));
    }

    // ---------------------------------------------------------------- who listens

    /** A supervisor's resource was created: if it is its first of the session, the agent hears it listens. */
    public void created(String sessionId, String owner, String resourceId) {
        if (!isMonitor(owner)) {
            return;
        }
        String supervisor = owner.substring(OWNER_PREFIX.length());
        boolean[] first = {false};
        listening.computeIfAbsent(sessionId, k -> new ConcurrentHashMap<>()).compute(supervisor, (k, ids) -> {
            Set<String> set = ids != null ? ids : ConcurrentHashMap.newKeySet();
            first[0] = set.isEmpty();
            set.add(resourceId);
            return set;
        });
        if (first[0]) {
            tellAgent(sessionId, supervisor, true);
        }
    }

    /** A resource ended: if it was a supervisor's last of the session, the agent hears it stopped listening. */
    public void ended(String sessionId, String owner, String resourceId) {
        if (!isMonitor(owner)) {
            return;
        }
        String supervisor = owner.substring(OWNER_PREFIX.length());
        Map<String, Set<String>> bySupervisor = listening.get(sessionId);
        if (bySupervisor == null) {
            return;
        }
        boolean[] last = {false};
        bySupervisor.computeIfPresent(supervisor, (k, ids) -> {
            last[0] = ids.remove(resourceId) && ids.isEmpty();
            return ids.isEmpty() ? null : ids;
        });
        if (last[0]) {
            tellAgent(sessionId, supervisor, false);
        }
    }

    /** The call ended: nobody listens any more (the room closes, nobody is told). */
    public void sessionEnded(String sessionId) {
        listening.remove(sessionId);
    }

    /** {@code userId} took its seat in the call's room: if it is the agent, it hears who listens now. */
    public void joined(String sessionId, String userId) {
        Session s = sessions.get(sessionId).orElse(null);
        if (s == null || !userId.equals(s.agentId())) {
            return;
        }
        for (String supervisor : supervisors(sessionId)) {
            rooms.sendTo(RoomType.CUSTOMER_SERVICE.roomId(sessionId), userId, frame(sessionId, supervisor, true));
        }
    }

    /** The supervisors listening to a session now, for the rooms list's {@code monitored_by}. */
    public List<String> supervisors(String sessionId) {
        Map<String, Set<String>> m = listening.get(sessionId);
        return m == null ? List.of() : m.keySet().stream().sorted().toList();
    }

    private void tellAgent(String sessionId, String supervisor, boolean on) {
        Session s = sessions.get(sessionId).orElse(null);
        if (s == null || s.isEnded() || s.agentId() == null) {
            return;
        }
        rooms.sendTo(RoomType.CUSTOMER_SERVICE.roomId(sessionId), s.agentId(), frame(sessionId, supervisor, on));
    }

    private String frame(String sessionId, String supervisor, boolean on) {
        ObjectNode f = SessionJson.MAPPER.createObjectNode();
        f.put("action", FRAME);
        f.put("room_id", RoomType.CUSTOMER_SERVICE.roomId(sessionId));
        f.put("session_id", sessionId);
        f.put("supervisor", supervisor);
        f.put("listening", on);
        f.put("badge", badge);
        f.put("whisper_path", StreamPaths.format(whisper(sessionId, supervisor)));
        return f.toString();
    }
}
