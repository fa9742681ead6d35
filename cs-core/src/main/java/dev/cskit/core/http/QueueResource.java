/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.http;

import static dev.cskit.core.http.CustomerServiceApi.PREFIX;
import static dev.cskit.core.http.CustomerServiceApi.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cskit.api.http.HttpRequest;
import dev.cskit.api.http.HttpResponse;
import dev.cskit.api.http.HttpRoutes;
import dev.cskit.core.agent.AgentRouter;
import dev.cskit.core.agent.QueueEntry;
import dev.cskit.core.auth.AdminGuard;
import dev.cskit.core.json.SessionJson;
import dev.cskit.core.session.SessionManager;
import dev.cskit.core.web.Envelope;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** {@code GET /customer-service/queue} (admin): the visitor queue with positions and estimates. Thread-safe. */
public final class QueueResource {

    private final AgentRouter router;
    private final SessionManager sessions;
    private final AdminGuard admin;

    public QueueResource(AgentRouter router, SessionManager sessions, AdminGuard admin) {
        this.router = Objects.requireNonNull(router, "router");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.admin = Objects.requireNonNull(admin, "admin");
    }

    public void mount(HttpRoutes routes) {
        routes.add("GET", PREFIX + "/queue", admin(admin, this::queue));
    }

    private HttpResponse queue(HttpRequest r) {
        ObjectNode data = SessionJson.MAPPER.createObjectNode();
        data.put("auto_assign", router.autoAssign());
        ArrayNode list = data.putArray("queue");
        Instant now = sessions.clock().instant();
        for (QueueEntry q : router.queue()) {
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
}
