/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.http;

import static dev.cskit.core.http.CustomerServiceApi.PREFIX;
import static dev.cskit.core.http.CustomerServiceApi.admin;
import static dev.cskit.core.http.CustomerServiceApi.pathId;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cskit.api.http.HttpRequest;
import dev.cskit.api.http.HttpResponse;
import dev.cskit.api.http.HttpRoutes;
import dev.cskit.api.session.Session;
import dev.cskit.core.auth.AdminGuard;
import dev.cskit.core.json.SessionJson;
import dev.cskit.core.media.Recordings;
import dev.cskit.core.session.SessionManager;
import dev.cskit.core.web.ApiException;
import dev.cskit.core.web.Envelope;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code /customer-service/sessions/{id}/recordings…} (admin): the files {@link Recordings} finds for a
 * session, and one of them. Thread-safe.
 */
public final class RecordingsResource {

    private final SessionManager sessions;
    private final Recordings recordings;
    private final boolean enabled;
    private final AdminGuard admin;

    /** @param enabled whether {@code enable_recording} is on (the list says so) */
    public RecordingsResource(SessionManager sessions, Recordings recordings, boolean enabled, AdminGuard admin) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.recordings = Objects.requireNonNull(recordings, "recordings");
        this.enabled = enabled;
        this.admin = Objects.requireNonNull(admin, "admin");
    }

    public void mount(HttpRoutes routes) {
        routes.add("GET", PREFIX + "/sessions/{id}/recordings", admin(admin, this::list));
        routes.add("GET", PREFIX + "/sessions/{id}/recordings/{name}", admin(admin, this::get));
    }

    private HttpResponse list(HttpRequest r) throws IOException {
        Session s = sessions.require(pathId(r, "id", "session id"));
        ObjectNode data = SessionJson.MAPPER.createObjectNode();
        ArrayNode list = data.putArray("recordings");
        for (Recordings.Entry e : recordings.list(s.id())) {
            ObjectNode n = list.addObject();
            n.put("name", e.name());
            n.put("user_id", e.userId());
            n.put("kind", e.kind());
            n.put("source", e.source());
            n.put("codec", e.codec());
            n.put("bytes", e.bytes());
            n.put("created_at", SessionJson.time(e.createdAt()));
        }
        data.put("recording_enabled", enabled);
        return Envelope.ok(data);
    }

    private HttpResponse get(HttpRequest r) throws IOException {
        Session s = sessions.require(pathId(r, "id", "session id"));
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
