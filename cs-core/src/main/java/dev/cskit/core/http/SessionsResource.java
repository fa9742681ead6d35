/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.http;

import static dev.cskit.core.http.CustomerServiceApi.PREFIX;
import static dev.cskit.core.http.CustomerServiceApi.admin;
import static dev.cskit.core.http.CustomerServiceApi.open;
import static dev.cskit.core.http.CustomerServiceApi.pathId;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cskit.api.AgentAccount;
import dev.cskit.api.Ids;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.http.HttpRequest;
import dev.cskit.api.http.HttpResponse;
import dev.cskit.api.http.HttpRoutes;
import dev.cskit.api.session.Session;
import dev.cskit.api.session.SessionStatus;
import dev.cskit.core.auth.AdminGuard;
import dev.cskit.core.auth.AgentDirectory;
import dev.cskit.core.auth.LinkRole;
import dev.cskit.core.auth.PartyAuthorizer;
import dev.cskit.core.auth.TokenService;
import dev.cskit.core.json.SessionJson;
import dev.cskit.core.session.SessionManager;
import dev.cskit.core.session.SessionOrder;
import dev.cskit.core.session.SessionPage;
import dev.cskit.core.web.ApiException;
import dev.cskit.core.web.Envelope;
import dev.cskit.core.web.JsonBody;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code /customer-service/sessions…} and {@code /stats}: the session list, create, read, close, assign and
 * transfer, the party links and their QR codes, the customer's rating, and the counters. Thread-safe.
 */
public final class SessionsResource {

    private final SessionManager sessions;
    private final TokenService tokens;
    private final PartyAuthorizer authorizer;
    private final AgentDirectory agents;
    private final AdminGuard admin;
    private final @Nullable String publicUrl;

    /**
     * @param agents    names an agent assigned without {@code agent_name}
     * @param publicUrl the base of generated links ({@code public_url}), or {@code null} for the request's scheme and
     *                  Host
     */
    public SessionsResource(SessionManager sessions, TokenService tokens, PartyAuthorizer authorizer,
                            AgentDirectory agents, AdminGuard admin, @Nullable String publicUrl) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
        this.agents = Objects.requireNonNull(agents, "agents");
        this.admin = Objects.requireNonNull(admin, "admin");
        this.publicUrl = publicUrl;
    }

    public void mount(HttpRoutes routes) {
        routes.add("GET", PREFIX + "/sessions", admin(admin, this::list));
        routes.add("POST", PREFIX + "/sessions", admin(admin, this::create));
        routes.add("GET", PREFIX + "/sessions/{id}", open(this::get));
        routes.add("DELETE", PREFIX + "/sessions/{id}", admin(admin, this::close));
        routes.add("POST", PREFIX + "/sessions/{id}/assign", admin(admin, this::assign));
        routes.add("POST", PREFIX + "/sessions/{id}/transfer", admin(admin, this::transfer));
        routes.add("GET", PREFIX + "/sessions/{id}/links", admin(admin, this::links));
        routes.add("GET", PREFIX + "/sessions/{id}/qr", admin(admin, this::qr));
        routes.add("POST", PREFIX + "/sessions/{id}/rating", open(this::rate));
        routes.add("GET", PREFIX + "/stats", admin(admin, r -> Envelope.ok(SessionJson.statsNode(sessions.stats()))));
    }

    // ---------------------------------------------------------------- sessions

    private HttpResponse list(HttpRequest r) {
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
        SessionOrder order;
        try {
            order = SessionOrder.parse(r.queryParam("sort").orElse(null), r.queryParam("order").orElse(null));
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "query parameter " + e.getMessage());
        }
        SessionPage p = sessions.list(status, r.queryParam("q").orElse(null), page, size, order);
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

    private HttpResponse create(HttpRequest r) {
        JsonBody b = JsonBody.parse(r);
        Session s = sessions.create(b.requiredString("title"), b.requiredString("customer_name"),
                b.optionalString("description"));
        return session(s);
    }

    private HttpResponse get(HttpRequest r) {
        String id = pathId(r, "id", "session id");
        Optional<HttpResponse> refused = CustomerServiceApi.refuseUnlessAdminOrParty(admin, authorizer, r, id);
        return refused.orElseGet(() -> session(sessions.require(id)));
    }

    private HttpResponse close(HttpRequest r) {
        sessions.close(pathId(r, "id", "session id"));
        return Envelope.okMessage("session closed");
    }

    private HttpResponse assign(HttpRequest r) {
        String id = pathId(r, "id", "session id");
        JsonBody b = JsonBody.parse(r);
        String agentId = b.requiredString("agent_id"); // its rule is the session manager's
        String name = b.optionalString("agent_name");
        if (name == null) {
            name = agents.find(agentId).map(AgentAccount::name).orElseThrow(() -> new ApiException(400,
                    "field 'agent_name' is required and must be a string (agent " + agentId + " is not configured)"));
        }
        return session(sessions.assign(id, agentId, name));
    }

    private HttpResponse transfer(HttpRequest r) {
        String id = pathId(r, "id", "session id");
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
        String id = pathId(r, "id", "session id");
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
        Session s = sessions.require(pathId(r, "id", "session id"));
        requireLinkableAgent(s);
        Instant exp = linkExpiry();
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
        Session s = sessions.require(pathId(r, "id", "session id"));
        String roleParam = r.queryParam("role").orElseThrow(() ->
                new ApiException(400, "query parameter role is required: customer or agent"));
        LinkRole role;
        try {
            role = LinkRole.fromWire(roleParam);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "query parameter role: " + e.getMessage());
        }
        requireLinkableAgent(s);
        String token = tokens.issueLink(s.id(), role, role == LinkRole.CUSTOMER ? s.customerId() : s.agentId(),
                linkExpiry());
        return HttpResponse.of(200, "image/png", QrCodes.png(link(baseUrl(r), s, role, token)))
                .withHeader("Cache-Control", "no-store");
    }

    /** A session restored from before ids were checked may name an agent no link can carry. */
    private static void requireLinkableAgent(Session s) {
        if (s.agentId() != null && !Ids.isValid(s.agentId())) {
            throw new ApiException(409, "session " + s.id() + " is assigned to '" + s.agentId() + "', which is not a "
                    + "valid agent id; assign it to a valid agent before making links");
        }
    }

    /** Links last as long as a session may. */
    private Instant linkExpiry() {
        return sessions.clock().instant().plus(sessions.sessionTimeout()).truncatedTo(ChronoUnit.SECONDS);
    }

    private String baseUrl(HttpRequest r) {
        // The scheme and host the client used (https behind TLS or a trusted TLS-terminating proxy).
        return publicUrl != null ? publicUrl : r.scheme() + "://" + r.authority().orElse("localhost");
    }

    private static String link(String base, Session s, LinkRole role, String token) {
        return base + "/?session=" + enc(s.id()) + "&role=" + role.wireName() + "&token=" + enc(token);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
