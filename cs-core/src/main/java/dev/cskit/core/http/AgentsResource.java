/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.http;

import static dev.cskit.core.http.CustomerServiceApi.AGENT_LOGIN_TTL;
import static dev.cskit.core.http.CustomerServiceApi.PREFIX;
import static dev.cskit.core.http.CustomerServiceApi.admin;
import static dev.cskit.core.http.CustomerServiceApi.clientAddress;
import static dev.cskit.core.http.CustomerServiceApi.open;
import static dev.cskit.core.http.CustomerServiceApi.openAsync;
import static dev.cskit.core.http.CustomerServiceApi.pathId;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cskit.api.AgentAccount;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.http.HttpRequest;
import dev.cskit.api.http.HttpResponse;
import dev.cskit.api.http.HttpRoutes;
import dev.cskit.api.room.Participant;
import dev.cskit.api.room.RoomInfo;
import dev.cskit.api.room.RoomService;
import dev.cskit.api.room.RoomType;
import dev.cskit.core.agent.AgentDayStats;
import dev.cskit.core.agent.AgentRouter;
import dev.cskit.core.agent.AgentView;
import dev.cskit.core.auth.AdminGuard;
import dev.cskit.core.auth.AgentDirectory;
import dev.cskit.core.auth.LoginService;
import dev.cskit.core.auth.PasswordHasher;
import dev.cskit.core.auth.TokenPrincipal;
import dev.cskit.core.auth.TokenService;
import dev.cskit.core.auth.TokenVerification;
import dev.cskit.core.json.SessionJson;
import dev.cskit.core.web.ApiException;
import dev.cskit.core.web.Envelope;
import dev.cskit.core.web.JsonBody;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * {@code /customer-service/agents…}: login, the agent list with states and today's figures, one agent's state
 * (its desk) and setting its status. Agents are added, changed and removed by {@link AgentAccountsResource}.
 *
 * <p>Login ({@code POST /agents/login} {@code {agent_id, password}}) is {@link LoginService}'s: throttled per agent
 * id and per client address (429 with {@code Retry-After} in seconds), one password check on the host's CPU
 * executor for every id (503 with {@code Retry-After} when those checks are all taken), and the same 401 for an
 * unknown agent, a wrong password and a disabled agent. Thread-safe.
 */
public final class AgentsResource {

    private final AgentRouter router;
    private final AgentDayStats dayStats;
    private final AgentDirectory directory;
    private final LoginService logins;
    private final TokenService tokens;
    private final AdminGuard admin;
    private final RoomService rooms;
    private final Clock clock;

    /**
     * @param rooms where the agent list finds the call room each agent sits in
     * @param clock when login tokens expire
     */
    public AgentsResource(AgentRouter router, AgentDayStats dayStats, AgentDirectory directory, LoginService logins,
                          TokenService tokens, AdminGuard admin, RoomService rooms, Clock clock) {
        this.router = Objects.requireNonNull(router, "router");
        this.dayStats = Objects.requireNonNull(dayStats, "dayStats");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.logins = Objects.requireNonNull(logins, "logins");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.admin = Objects.requireNonNull(admin, "admin");
        this.rooms = Objects.requireNonNull(rooms, "rooms");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public void mount(HttpRoutes routes) {
        routes.add("POST", PREFIX + "/agents/login", openAsync(this::login));
        routes.add("GET", PREFIX + "/agents", admin(admin, this::list));
        routes.add("GET", PREFIX + "/agents/{id}", open(this::get));
        routes.add("POST", PREFIX + "/agents/{id}/status", open(this::status));
    }

    private CompletionStage<HttpResponse> login(HttpRequest r) {
        JsonBody b = JsonBody.parse(r);
        String id = b.requiredId("agent_id");
        char[] password = b.requiredString("password").toCharArray();
        if (!PasswordHasher.acceptableLength(password)) {
            throw new ApiException(400, "field 'password' must be 1 to " + PasswordHasher.MAX_PASSWORD_BYTES
                    + " bytes of UTF-8 text");
        }
        return logins.login(id, password, clientAddress(r)).thenApply(this::loginAnswer);
    }

    private HttpResponse loginAnswer(LoginService.Outcome outcome) {
        if (outcome instanceof LoginService.Success ok) {
            AgentAccount a = ok.agent();
            Instant exp = clock.instant().plus(AGENT_LOGIN_TTL).truncatedTo(ChronoUnit.SECONDS);
            ObjectNode data = SessionJson.MAPPER.createObjectNode();
            data.put("token", tokens.issueAgent(a.id(), a.generation(), exp));
            data.put("agent_id", a.id());
            data.put("agent_name", a.name());
            data.put("expires_at", SessionJson.time(exp));
            return Envelope.ok(data);
        }
        if (outcome instanceof LoginService.Throttled t) {
            long s = t.retryAfter().toSeconds();
            return Envelope.error(429, "too many failed logins for this agent or from this address; wait " + s
                    + " s before trying again").withHeader("Retry-After", Long.toString(s));
        }
        if (outcome instanceof LoginService.Busy busy) {
            return Envelope.error(503, busy.message()).withHeader("Retry-After", "1");
        }
        return Envelope.error(401, "unknown agent or wrong password"); // Refused: the same for every reason
    }

    private HttpResponse list(HttpRequest r) {
        List<RoomInfo> open = rooms.rooms(RoomType.CUSTOMER_SERVICE.roomIdPrefix());
        Map<String, AgentDayStats.Day> today = dayStats.today();
        ObjectNode data = SessionJson.MAPPER.createObjectNode();
        ArrayNode list = data.putArray("agents");
        for (AgentView a : router.agents()) {
            String roomId = roomOf(open, a.id());
            ObjectNode n = agentNode(a, today.getOrDefault(a.id(), AgentDayStats.Day.EMPTY));
            Optional<AgentAccount> account = directory.find(a.id());
            n.put("configured", account.isPresent());
            n.put("enabled", account.map(AgentAccount::enabled).orElse(false));
        n.put("supervisor", account.map(AgentAccount::supervisor).orElse(false));
            n.put("in_room", roomId != null);
            n.put("room_id", roomId);
            list.add(n);
        }
        data.put("auto_assign", router.autoAssign());
        return Envelope.ok(data);
    }

    /** {@code POST /agents/{id}/status}: the agent's own login token, or an admin. */
    private HttpResponse status(HttpRequest r) {
        String id = pathId(r, "id", "agent id");
        requireSelfOrAdmin(r, id, "set only its own status");
        String status = JsonBody.parse(r).requiredString("status");
        AgentView a = router.setStatus(id, status.trim());
        return Envelope.ok(agentNode(a, dayStats.today(id)));
    }

    /** {@code GET /agents/{id}}: one agent's state and today's stats, for its own desk (login token) or an admin. */
    private HttpResponse get(HttpRequest r) {
        String id = pathId(r, "id", "agent id");
        requireSelfOrAdmin(r, id, "read only its own state");
        AgentView a = router.agent(id).orElseThrow(() -> new ApiException(404, "no agent " + id));
        ObjectNode n = agentNode(a, dayStats.today(id));
        Optional<AgentAccount> account = directory.find(id);
        n.put("configured", account.isPresent());
        n.put("enabled", account.map(AgentAccount::enabled).orElse(false));
        n.put("supervisor", account.map(AgentAccount::supervisor).orElse(false));
        return Envelope.ok(n);
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

    private static ObjectNode agentNode(AgentView a, AgentDayStats.Day today) {
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
}
