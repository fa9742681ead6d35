/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cskit.api.AgentAccount;
import dev.cskit.api.CsConfig;
import dev.cskit.api.Nullable;
import dev.cskit.api.http.HttpHandler;
import dev.cskit.api.http.HttpRequest;
import dev.cskit.api.http.HttpResponse;
import dev.cskit.api.http.HttpRoutes;
import dev.cskit.api.room.Participant;
import dev.cskit.api.room.RoomInfo;
import dev.cskit.api.room.RoomService;
import dev.cskit.api.room.RoomType;
import dev.cskit.api.session.Session;
import dev.cskit.api.session.SessionStatus;
import dev.cskit.core.agent.AgentDayStats;
import dev.cskit.core.agent.AgentPool;
import dev.cskit.core.auth.AdminGuard;
import dev.cskit.core.auth.AgentDirectory;
import dev.cskit.core.auth.LinkRole;
import dev.cskit.core.auth.PartyAuthorizer;
import dev.cskit.core.auth.TokenPrincipal;
import dev.cskit.core.auth.TokenService;
import dev.cskit.core.auth.TokenVerification;
import dev.cskit.core.json.SessionJson;
import dev.cskit.core.media.Recordings;
import dev.cskit.core.media.WebRtcGateway;
import dev.cskit.media.whip.PeerRole;
import dev.cskit.media.whip.PeerStats;
import dev.cskit.core.session.SessionException;
import dev.cskit.core.session.SessionManager;
import dev.cskit.core.session.SessionPage;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The customer-service HTTP API under {@value #PREFIX} (PROTOCOL.md, "HTTP API"), mounted on any
 * {@link HttpRoutes}. Every answer is an {@link Envelope}; every error leaves stored state unchanged.
 *
 * <p>Access: {@code POST /agents/login} and {@code POST /sessions/{id}/rating} (customer link token) are
 * public; {@code GET /sessions/{id}} takes an admin or a party token of that session; everything else is
 * admin-only ({@link AdminGuard}).
 *
 * <p><b>Threading:</b> handlers are thread-safe and may block briefly (journal fsync, bcrypt).
 */
public final class CustomerServiceApi {

    public static final String PREFIX = "/customer-service";
    /** How long an agent login token lasts. */
    public static final Duration AGENT_LOGIN_TTL = Duration.ofHours(12);

    private final SessionManager sessions;
    private final TokenService tokens;
    private final PartyAuthorizer authorizer;
    private final AgentDirectory agents;
    private final AdminGuard admin;
    private final RoomService rooms;
    private final @Nullable WebRtcGateway media;
    private final CsConfig config;
    private final AgentPool pool;
    private final Recordings recordings;
    private final AgentDayStats dayStats;

    public CustomerServiceApi(SessionManager sessions, TokenService tokens, PartyAuthorizer authorizer,
                              AgentDirectory agents, AdminGuard admin, RoomService rooms, CsConfig config,
                              @Nullable WebRtcGateway media, AgentPool pool, AgentDayStats dayStats) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.dayStats = Objects.requireNonNull(dayStats, "dayStats");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
        this.agents = Objects.requireNonNull(agents, "agents");
        this.admin = Objects.requireNonNull(admin, "admin");
        this.rooms = Objects.requireNonNull(rooms, "rooms");
        this.media = media;
        this.config = Objects.requireNonNull(config, "config");
        this.recordings = new Recordings(config.recordingDir());
    }

    /** Mounts every route; unmount with {@code routes.removeAll(PREFIX)}. */
    public void mount(HttpRoutes routes) {
        routes.add("GET", PREFIX + "/sessions", admin(this::listSessions));
        routes.add("POST", PREFIX + "/sessions", admin(this::createSession));
        routes.add("GET", PREFIX + "/sessions/{id}", open(this::getSession));
        routes.add("DELETE", PREFIX + "/sessions/{id}", admin(this::closeSession));
        routes.add("POST", PREFIX + "/sessions/{id}/assign", admin(this::assign));
        routes.add("POST", PREFIX + "/sessions/{id}/transfer", admin(this::transfer));
        routes.add("GET", PREFIX + "/sessions/{id}/links", admin(this::links));
        routes.add("GET", PREFIX + "/sessions/{id}/qr", admin(this::qr));
        routes.add("POST", PREFIX + "/sessions/{id}/rating", open(this::rate));
        routes.add("GET", PREFIX + "/stats", admin(r -> Envelope.ok(SessionJson.statsNode(sessions.stats()))));
        routes.add("POST", PREFIX + "/agents/login", open(this::login));
        routes.add("GET", PREFIX + "/agents", admin(this::listAgents));
        routes.add("GET", PREFIX + "/agents/{id}", open(this::getAgent));
        routes.add("POST", PREFIX + "/agents/{id}/status", open(this::agentStatus));
        routes.add("GET", PREFIX + "/queue", admin(this::queue));
        routes.add("GET", PREFIX + "/rooms", admin(this::listRooms));
        routes.add("GET", PREFIX + "/sessions/{id}/recordings", admin(this::listRecordings));
        routes.add("GET", PREFIX + "/sessions/{id}/recordings/{name}", admin(this::getRecording));
    }

    // ---------------------------------------------------------------- access and error mapping

    private HttpHandler admin(HttpHandler h) {
        return open(r -> {
            Optional<AdminGuard.Refusal> no = admin.check(r);
            if (no.isPresent()) {
                return Envelope.error(no.get().status(), no.get().message());
            }
            return h.handle(r);
        });
    }

    private static HttpHandler open(HttpHandler h) {
        return r -> {
            try {
                return h.handle(r);
            } catch (ApiException e) {
                return Envelope.error(e.status(), e.getMessage());
            } catch (SessionException e) {
                return Envelope.error(e.kind().httpStatus(), e.getMessage());
            }
        };
    }

    // ---------------------------------------------------------------- sessions

    private HttpResponse listSessions(HttpRequest r) {
        SessionStatus status = null;
        Optional<String> s = r.queryParam("status").filter(v -> !v.isBlank());
        if (s.isPresent()) {
            try {
                status = SessionStatus.fromWire(s.get().trim());
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, "query parameter status: " + e.getMessage());
            }
        }
        int page = intParam(r, "page", 1);
        int size = intParam(r, "page_size", SessionManager.DEFAULT_PAGE_SIZE);
        SessionPage p = sessions.list(status, r.queryParam("q").orElse(null), page, size);
        ObjectNode data = SessionJson.MAPPER.createObjectNode();
        ArrayNode items = data.putArray("sessions");
        Instant now = sessions.clock().instant();
        for (Session x : p.items()) {
            items.add(SessionJson.toNode(x, now));
        }
        data.put("total", p.total());
        data.put("page", p.page());
        data.put("page_size", p.pageSize());
        return Envelope.ok(data);
    }

    private static int intParam(HttpRequest r, String name, int dflt) {
        Optional<String> v = r.queryParam(name).filter(x -> !x.isBlank());
        if (v.isEmpty()) {
            return dflt;
        }
        try {
            return Integer.parseInt(v.get().trim());
        } catch (NumberFormatException e) {
            throw new ApiException(400, "query parameter " + name + " must be an integer, was '" + v.get() + "'");
        }
    }

    private HttpResponse createSession(HttpRequest r) {
        JsonBody b = JsonBody.parse(r);
        Session s = sessions.create(b.requiredString("title"), b.requiredString("customer_name"),
                b.optionalString("description"));
        return session(s);
    }

    private HttpResponse getSession(HttpRequest r) {
        String id = r.pathParam("id");
        if (admin.check(r).isPresent()) {
            Optional<String> token = r.bearerToken();
            if (token.isEmpty()) {
                // Not an admin and no party token: answer as the admin guard would.
                AdminGuard.Refusal no = admin.check(r).get();
                return Envelope.error(no.status(), no.message() + " (or send a link token of this session)");
            }
            PartyAuthorizer.Result res = authorizer.authorize(token.get(), id, null, true);
            if (res instanceof PartyAuthorizer.Refused no) {
                return Envelope.error(no.httpStatus(), no.message());
            }
        }
        return session(sessions.require(id));
    }

    private HttpResponse closeSession(HttpRequest r) {
        sessions.close(r.pathParam("id"));
        return Envelope.okMessage("session closed");
    }

    private HttpResponse assign(HttpRequest r) {
        String id = r.pathParam("id");
        JsonBody b = JsonBody.parse(r);
        String agentId = b.requiredString("agent_id");
        String name = b.optionalString("agent_name");
        if (name == null) {
            name = agents.find(agentId).map(AgentAccount::name).orElseThrow(() -> new ApiException(400,
                    "field 'agent_name' is required and must be a string (agent " + agentId + " is not configured)"));
        }
        return session(sessions.assign(id, agentId, name));
    }

    private HttpResponse transfer(HttpRequest r) {
        String id = r.pathParam("id");
        JsonBody b = JsonBody.parse(r);
        String to = b.requiredString("to_agent_id");
        String name = b.optionalString("to_agent_name");
        if (name == null) {
            name = agents.find(to).map(AgentAccount::name).orElseThrow(() -> new ApiException(400,
                    "field 'to_agent_name' is required and must be a string (agent " + to + " is not configured)"));
        }
        return session(sessions.transfer(id, null, to, name));
    }

    private HttpResponse rate(HttpRequest r) {
        String id = r.pathParam("id");
        JsonBody b = JsonBody.parse(r);
        int stars = b.requiredInt("stars");
        String comment = b.optionalString("comment");
        Optional<String> token = r.bearerToken();
        if (token.isEmpty()) {
            throw new ApiException(401, "rating needs the customer's link token: Authorization: Bearer <customer_token>");
        }
        PartyAuthorizer.Result res = authorizer.authorize(token.get(), id, null, true);
        if (res instanceof PartyAuthorizer.Refused no) {
            return Envelope.error(no.httpStatus(), no.message());
        }
        if (((PartyAuthorizer.Party) res).role() != LinkRole.CUSTOMER) {
            throw new ApiException(403, "only the customer of session " + id + " can rate it");
        }
        return session(sessions.rate(id, stars, comment));
    }

    private HttpResponse session(Session s) {
        return Envelope.ok(SessionJson.toNode(s, sessions.clock().instant()));
    }

    // ---------------------------------------------------------------- links and QR codes

    private HttpResponse links(HttpRequest r) {
        Session s = sessions.require(r.pathParam("id"));
        Instant exp = sessions.clock().instant().plus(sessions.sessionTimeout()).truncatedTo(ChronoUnit.SECONDS);
        String customer = tokens.issueLink(s.id(), LinkRole.CUSTOMER, s.customerId(), exp);
        String agent = tokens.issueLink(s.id(), LinkRole.AGENT, s.agentId(), exp);
        String base = baseUrl(r);
        ObjectNode data = SessionJson.MAPPER.createObjectNode();
        data.put("customer_url", link(base, s, LinkRole.CUSTOMER, customer));
        data.put("agent_url", link(base, s, LinkRole.AGENT, agent));
        data.put("customer_token", customer);
        data.put("agent_token", agent);
        data.put("customer_id", s.customerId());
        data.put("agent_id", s.agentId());
        data.put("expires_at", SessionJson.time(exp));
        return Envelope.ok(data);
    }

    private HttpResponse qr(HttpRequest r) throws Exception {
        Session s = sessions.require(r.pathParam("id"));
        String roleParam = r.queryParam("role").orElseThrow(() ->
                new ApiException(400, "query parameter role is required: customer or agent"));
        LinkRole role;
        try {
            role = LinkRole.fromWire(roleParam);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "query parameter role: " + e.getMessage());
        }
        Instant exp = sessions.clock().instant().plus(sessions.sessionTimeout()).truncatedTo(ChronoUnit.SECONDS);
        String token = tokens.issueLink(s.id(), role, role == LinkRole.CUSTOMER ? s.customerId() : s.agentId(), exp);
        return HttpResponse.of(200, "image/png", QrCodes.png(link(baseUrl(r), s, role, token)))
                .withHeader("Cache-Control", "no-store");
    }

    private String baseUrl(HttpRequest r) {
        return config.publicUrl().orElseGet(() -> "http://" + r.header("host").filter(h -> !h.isBlank())
                .orElse("localhost"));
    }

    private static String link(String base, Session s, LinkRole role, String token) {
        return base + "/?session=" + enc(s.id()) + "&role=" + role.wireName() + "&token=" + enc(token);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- agents and rooms

    private HttpResponse login(HttpRequest r) {
        JsonBody b = JsonBody.parse(r);
        String id = b.requiredString("agent_id");
        String password = b.requiredString("password");
        Optional<AgentAccount> a = agents.login(id, password);
        if (a.isEmpty()) {
            throw new ApiException(401, "unknown agent or wrong password");
        }
        Instant exp = sessions.clock().instant().plus(AGENT_LOGIN_TTL).truncatedTo(ChronoUnit.SECONDS);
        ObjectNode data = SessionJson.MAPPER.createObjectNode();
        data.put("token", tokens.issueAgent(a.get().id(), exp));
        data.put("agent_id", a.get().id());
        data.put("agent_name", a.get().name());
        data.put("expires_at", SessionJson.time(exp));
        return Envelope.ok(data);
    }

    private HttpResponse listAgents(HttpRequest r) {
        List<RoomInfo> open = rooms.rooms(RoomType.CUSTOMER_SERVICE.roomIdPrefix());
        Map<String, AgentDayStats.Day> today = dayStats.today();
        ObjectNode data = SessionJson.MAPPER.createObjectNode();
        ArrayNode list = data.putArray("agents");
        for (AgentPool.AgentView a : pool.agents()) {
            String roomId = roomOf(open, a.id());
            ObjectNode n = agentNode(a, today.getOrDefault(a.id(), AgentDayStats.Day.EMPTY));
            n.put("in_room", roomId != null);
            n.put("room_id", roomId);
            list.add(n);
        }
        data.put("auto_assign", pool.autoAssign());
        return Envelope.ok(data);
    }

    private static ObjectNode agentNode(AgentPool.AgentView a, AgentDayStats.Day today) {
        ObjectNode n = SessionJson.MAPPER.createObjectNode();
        n.put("id", a.id());
        n.put("name", a.name());
        n.put("state", a.state().wireName());
        n.put("online", a.present());
        n.put("state_since", SessionJson.time(a.stateSince()));
        n.put("idle_since", SessionJson.time(a.idleSince()));
        n.put("ringing_session", a.ringingSession());
        ArrayNode calls = n.putArray("sessions");
        a.calls().forEach(calls::add);
        n.put("wrap_up_until", a.wrapUntil() == null ? null : SessionJson.time(a.wrapUntil()));
        // Today: UTC, by the host clock; calls that ended today after being accepted (AgentDayStats).
        n.put("handled_today", today.handled());
        n.put("avg_duration", today.averageDuration());
        Double rating = today.averageRating();
        if (rating == null) {
            n.putNull("avg_rating");
        } else {
            n.put("avg_rating", rating.doubleValue());
        }
        return n;
    }

    /** {@code POST /agents/{id}/status}: the agent's own login token, or an admin. */
    private HttpResponse agentStatus(HttpRequest r) {
        String id = r.pathParam("id");
        requireSelfOrAdmin(r, id, "set only its own status");
        String status = JsonBody.parse(r).requiredString("status");
        AgentPool.AgentView a = pool.setStatus(id, status.trim());
        return Envelope.ok(agentNode(a, dayStats.today(id)));
    }

    /** {@code GET /agents/{id}}: one agent's state and today's stats, for its own desk (login token) or an admin. */
    private HttpResponse getAgent(HttpRequest r) {
        String id = r.pathParam("id");
        requireSelfOrAdmin(r, id, "read only its own state");
        AgentPool.AgentView a = pool.agent(id).orElseThrow(() -> new ApiException(404, "no agent " + id));
        return Envelope.ok(agentNode(a, dayStats.today(id)));
    }

    /** Passes an admin, or the agent {@code id} itself by its login token; throws 401/403 otherwise. */
    private void requireSelfOrAdmin(HttpRequest r, String id, String what) {
        if (admin.check(r).isPresent()) {
            Optional<String> token = r.bearerToken();
            if (token.isEmpty()) {
                throw new ApiException(401, "send Authorization: Bearer <agent login token> (or the admin token)");
            }
            TokenVerification v = tokens.verify(token.get());
            if (!(v instanceof TokenVerification.Valid ok) || !(ok.value() instanceof TokenPrincipal.Agent who)) {
                throw new ApiException(401, "the token is not a valid agent login token; log in with "
                        + "POST /customer-service/agents/login");
            }
            if (!who.agentId().equals(id)) {
                throw new ApiException(403, "agent " + who.agentId() + " may " + what);
            }
        }
    }

    private HttpResponse queue(HttpRequest r) {
        ObjectNode data = SessionJson.MAPPER.createObjectNode();
        data.put("auto_assign", pool.autoAssign());
        ArrayNode list = data.putArray("queue");
        Instant now = sessions.clock().instant();
        for (AgentPool.QueueEntry q : pool.queue()) {
            ObjectNode n = list.addObject();
            n.put("session_id", q.sessionId());
            n.put("customer_id", q.customerId());
            sessions.get(q.sessionId()).ifPresent(s -> {
                n.put("customer_name", s.customerName());
                n.put("title", s.title());
            });
            n.put("position", q.position());
            n.put("estimated_wait", q.estimatedWait());
            n.put("waiting_since", SessionJson.time(q.waitingSince()));
            n.put("waited", Math.max(0, Duration.between(q.waitingSince(), now).toSeconds()));
            n.put("ringing_agent", q.ringingAgent());
        }
        data.put("total", list.size());
        return Envelope.ok(data);
    }

    private static @Nullable String roomOf(List<RoomInfo> open, String agentId) {
        for (RoomInfo room : open) {
            for (Participant p : room.participants()) {
                if (p.userId().equals(agentId) && "agent".equals(p.role())) {
                    return room.roomId();
                }
            }
        }
        return null;
    }

    private HttpResponse listRooms(HttpRequest r) {
        ObjectNode data = SessionJson.MAPPER.createObjectNode();
        ArrayNode list = data.putArray("rooms");
        for (RoomInfo room : rooms.rooms(RoomType.CUSTOMER_SERVICE.roomIdPrefix())) {
            ObjectNode n = list.addObject();
            n.put("room_id", room.roomId());
            String sid = RoomType.CUSTOMER_SERVICE.owns(room.roomId())
                    ? RoomType.CUSTOMER_SERVICE.keyOf(room.roomId()) : null;
            n.put("session_id", sid);
            Optional<Session> s = sid == null ? Optional.empty() : sessions.get(sid);
            n.put("status", s.map(x -> x.status().wireName()).orElse(null));
            n.put("on_hold", s.map(Session::onHold).orElse(false));
            n.put("created_at", SessionJson.time(room.createdAt()));
            ArrayNode ps = n.putArray("participants");
            for (Participant p : room.participants()) {
                ObjectNode pn = ps.addObject();
                pn.put("user_id", p.userId());
                pn.put("display_name", p.displayName());
                pn.put("role", p.role());
                pn.put("joined_at", SessionJson.time(p.joinedAt()));
            }
            ArrayNode ms = n.putArray("media");
            if (media != null && sid != null) {
                for (PeerStats st : media.stats(sid)) {
                    ObjectNode m = ms.addObject();
                    m.put("resource_id", st.id());
                    m.put("kind", st.role() == PeerRole.PUBLISH ? "whip" : "whep");
                    m.put("stream_path", WebRtcGateway.streamPath(st.stream()));
                    m.put("user_id", st.owner());
                    m.put("state", st.state().wireName());
                    m.put("srtp_profile", st.srtpProfile());
                    m.put("packets_received", st.packetsReceived());
                    m.put("bytes_received", st.bytesReceived());
                    m.put("packets_sent", st.packetsSent());
                    m.put("bytes_sent", st.bytesSent());
                    m.put("packets_dropped", st.packetsDropped());
                    m.put("nacks_answered", st.nacksAnswered());
                    m.put("keyframe_requests", st.keyframeRequests());
                }
            }
        }
        return Envelope.ok(data);
    }

    // ---------------------------------------------------------------- recordings

    private HttpResponse listRecordings(HttpRequest r) throws IOException {
        Session s = sessions.require(r.pathParam("id"));
        ObjectNode data = SessionJson.MAPPER.createObjectNode();
        ArrayNode list = data.putArray("recordings");
        for (Recordings.Entry e : recordings.list(s.id())) {
            ObjectNode n = list.addObject();
            n.put("name", e.name());
            n.put("user_id", e.userId());
            n.put("kind", e.kind());
            n.put("codec", e.codec());
            n.put("bytes", e.bytes());
            n.put("created_at", SessionJson.time(e.createdAt()));
        }
        data.put("recording_enabled", config.enableRecording());
        return Envelope.ok(data);
    }

    private HttpResponse getRecording(HttpRequest r) throws IOException {
        Session s = sessions.require(r.pathParam("id"));
        String name = r.pathParam("name");
        Optional<Recordings.Entry> e;
        try {
            e = recordings.find(s.id(), name);
        } catch (IllegalArgumentException bad) {
            throw new ApiException(400, bad.getMessage());
        }
        if (e.isEmpty()) {
            throw new ApiException(404, "session " + s.id() + " has no recording " + name
                    + "; GET /customer-service/sessions/" + s.id() + "/recordings lists them");
        }
        if (e.get().bytes() > Recordings.MAX_SERVED_BYTES) {
            throw new ApiException(413, "recording " + name + " has " + e.get().bytes() + " bytes, more than the "
                    + Recordings.MAX_SERVED_BYTES + " served over HTTP; copy it from recording_dir instead");
        }
        Recordings.File f = recordings.read(s.id(), e.get());
        return HttpResponse.of(200, e.get().contentType(), f.content())
                .withHeader("Content-Disposition", "attachment; filename=\"" + name + "\"")
                .withHeader("Cache-Control", "no-store")
                .withHeader("X-Content-Type-Options", "nosniff");
    }
}
