/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.http;

import static dev.cskit.core.http.CustomerServiceApi.PREFIX;
import static dev.cskit.core.http.CustomerServiceApi.open;
import static dev.cskit.core.http.CustomerServiceApi.pathId;

import dev.cskit.api.AgentAccount;
import dev.cskit.api.http.HttpRequest;
import dev.cskit.api.http.HttpResponse;
import dev.cskit.api.http.HttpRoutes;
import dev.cskit.api.session.Session;
import dev.cskit.api.session.SessionStatus;
import dev.cskit.core.auth.AdminGuard;
import dev.cskit.core.auth.AgentDirectory;
import dev.cskit.core.auth.TokenPrincipal;
import dev.cskit.core.auth.TokenService;
import dev.cskit.core.auth.TokenVerification;
import dev.cskit.core.media.Monitors;
import dev.cskit.core.session.SessionManager;
import dev.cskit.core.web.ApiException;
import dev.cskit.core.web.Envelope;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code POST /customer-service/sessions/{id}/monitor}: a supervisor asks to listen to an active call. A supervisor is
 * an agent whose account has {@code supervisor: true} (its login token), or the admin (the admin token, or a local
 * client while none is set) as {@value Monitors#ADMIN}. The answer is a short-lived monitor token ({@link Monitors})
 * and where to use it: {@code {session_id, supervisor, token, expires_at, streams: [{party, user_id, stream_path,
 * whep_url}], whisper: {stream_path, whip_url}}}. Nothing changes in the session or its room: the supervisor listens
 * from its first WHEP on. 401/403 for who is no supervisor, 404 for no session, 409 if the call is not active or the
 * supervisor is its agent. Thread-safe.
 */
public final class MonitorResource {

    private final SessionManager sessions;
    private final TokenService tokens;
    private final AgentDirectory directory;
    private final AdminGuard admin;
    private final Monitors monitors;

    public MonitorResource(SessionManager sessions, TokenService tokens, AgentDirectory directory, AdminGuard admin,
                           Monitors monitors) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.admin = Objects.requireNonNull(admin, "admin");
        this.monitors = Objects.requireNonNull(monitors, "monitors");
    }

    /** Whether {@code id} names a supervisor now: the admin, or an enabled agent with {@code supervisor: true}. */
    public static boolean isSupervisor(AgentDirectory directory, String id) {
        return Monitors.ADMIN.equals(id)
                || directory.find(id).map(a -> a.enabled() && a.supervisor()).orElse(false);
    }

    public void mount(HttpRoutes routes) {
        routes.add("POST", PREFIX + "/sessions/{id}/monitor", open(this::monitor));
    }

    private HttpResponse monitor(HttpRequest r) {
        String id = pathId(r, "id", "session id");
        String supervisor = supervisor(r);
        Session s = sessions.require(id);
        if (s.status() != SessionStatus.ACTIVE) {
            throw new ApiException(409, "session " + id + " is " + s.status().wireName()
                    + "; only an active call can be monitored");
        }
        if (supervisor.equals(s.agentId())) {
            throw new ApiException(409, supervisor + " is the agent of session " + id + "; a supervisor monitors "
                    + "another agent's call");
        }
        return Envelope.ok(Monitors.toNode(s, supervisor, monitors.issue(s, supervisor)));
    }

    /** The supervisor asking: an agent's login token of a supervisor account, else the admin; else 401/403. */
    private String supervisor(HttpRequest r) {
        Optional<String> bearer = r.bearerToken();
        if (bearer.isPresent()) {
            TokenVerification v = tokens.verify(bearer.get());
            if (v instanceof TokenVerification.Valid ok && ok.value() instanceof TokenPrincipal.Agent a) {
                AgentAccount account = directory.find(a.agentId()).orElse(null);
                if (account == null || !account.supervisor()) {
                    throw new ApiException(403, "agent " + a.agentId() + " is not a supervisor; an admin sets "
                            + "\"supervisor\": true with PATCH " + PREFIX + "/agents/" + a.agentId());
                }
                return a.agentId();
            }
        }
        Optional<AdminGuard.Refusal> no = admin.check(r);
        if (no.isPresent()) {
            throw new ApiException(no.get().status(), no.get().message()
                    + " (or send the login token of a supervisor agent)");
        }
        return Monitors.ADMIN;
    }
}
