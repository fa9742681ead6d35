/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.http;

import static dev.cskit.core.http.CustomerServiceApi.PREFIX;
import static dev.cskit.core.http.CustomerServiceApi.admin;
import static dev.cskit.core.http.CustomerServiceApi.open;
import static dev.cskit.core.http.CustomerServiceApi.pathId;

import dev.cskit.api.http.HttpRequest;
import dev.cskit.api.http.HttpResponse;
import dev.cskit.api.http.HttpRoutes;
import dev.cskit.api.session.Session;
import dev.cskit.core.auth.AdminGuard;
import dev.cskit.core.auth.PartyAuthorizer;
import dev.cskit.core.media.RecordingConsent;
import dev.cskit.core.session.SessionManager;
import dev.cskit.core.web.ApiException;
import dev.cskit.core.web.Envelope;
import dev.cskit.core.web.JsonBody;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /customer-service/sessions/{id}/recording}: whether a call is recorded, for its parties' pages (the
 * consent notice before media starts, the "Recording" indicator) and admins ({@code GET}, an admin or a party token
 * of the session), and an admin turning it off for that session ({@code POST {"enabled":false}}). The answer is a
 * {@link RecordingConsent.Status}. Thread-safe.
 */
public final class SessionRecordingResource {

    private static final Set<String> FIELDS = Set.of("enabled");

    private final SessionManager sessions;
    private final RecordingConsent consent;
    private final PartyAuthorizer authorizer;
    private final AdminGuard admin;

    public SessionRecordingResource(SessionManager sessions, RecordingConsent consent, PartyAuthorizer authorizer,
                                    AdminGuard admin) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.consent = Objects.requireNonNull(consent, "consent");
        this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
        this.admin = Objects.requireNonNull(admin, "admin");
    }

    public void mount(HttpRoutes routes) {
        routes.add("GET", PREFIX + "/sessions/{id}/recording", open(this::get));
        routes.add("POST", PREFIX + "/sessions/{id}/recording", admin(admin, this::set));
    }

    private HttpResponse get(HttpRequest r) {
        String id = pathId(r, "id", "session id");
        Optional<HttpResponse> refused = CustomerServiceApi.refuseUnlessAdminOrParty(admin, authorizer, r, id);
        return refused.orElseGet(() -> Envelope.ok(RecordingConsent.toNode(consent.status(id))));
    }

    /**
     * {@code {"enabled":false}} turns recording off for good; {@code {"enabled":true}} is accepted only while it is
     * on (nothing to change), since a session turned off is not recorded again.
     */
    private HttpResponse set(HttpRequest r) {
        String id = pathId(r, "id", "session id");
        JsonBody b = JsonBody.parse(r).allowOnly(FIELDS);
        Boolean enabled = b.optionalBoolean("enabled");
        if (enabled == null) {
            throw new ApiException(400, "field 'enabled' is required: {\"enabled\":false} turns this session's "
                    + "recording off");
        }
        Session s = sessions.require(id);
        if (!consent.serverRecords()) {
            throw new ApiException(409, "this server does not record calls (enable_recording is off, or the host has "
                    + "no media port); there is no recording of session " + id + " to turn on or off");
        }
        if (enabled) {
            RecordingConsent.Status st = consent.status(s);
            if (!st.enabled()) {
                throw new ApiException(409, s.isEnded() ? "session " + id + " has ended; its recording is over"
                        : "recording of session " + id + " was turned off and is not turned on again");
            }
            return Envelope.ok(RecordingConsent.toNode(st));
        }
        return Envelope.ok(RecordingConsent.toNode(consent.status(sessions.disableRecording(id))));
    }
}
