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
import dev.cskit.api.session.OutboxRecord;
import dev.cskit.api.webhook.WebhookEventType;
import dev.cskit.core.auth.AdminGuard;
import dev.cskit.core.json.SessionJson;
import dev.cskit.core.web.ApiException;
import dev.cskit.core.web.Envelope;
import dev.cskit.core.webhook.Webhooks;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The webhook deliveries (admin): {@code GET /customer-service/webhooks/deliveries?status=failed|dead|pending}
 * lists those not delivered (newest first; {@code failed}: pending after at least one failed attempt,
 * {@code pending}: every one not delivered nor dead-lettered, {@code dead}: dead-lettered; no status: all of
 * them; {@code limit} 1 to {@value #MAX_LIMIT}, default {@value #DEFAULT_LIMIT}), with their last error;
 * {@code POST /customer-service/webhooks/deliveries/{id}/redeliver} sends one again. Thread-safe.
 */
public final class WebhooksResource {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final Webhooks webhooks;
    private final AdminGuard admin;

    public WebhooksResource(Webhooks webhooks, AdminGuard admin) {
        this.webhooks = Objects.requireNonNull(webhooks, "webhooks");
        this.admin = Objects.requireNonNull(admin, "admin");
    }

    public void mount(HttpRoutes routes) {
        routes.add("GET", PREFIX + "/webhooks/deliveries", admin(admin, this::list));
        routes.add("POST", PREFIX + "/webhooks/deliveries/{id}/redeliver", admin(admin, this::redeliver));
    }

    private HttpResponse list(HttpRequest r) {
        Predicate<Webhooks.DeliveryView> filter = filter(r.queryParam("status").filter(s -> !s.isBlank()));
        int limit = limit(r);
        List<Webhooks.DeliveryView> list = webhooks.deliveries(filter, limit);
        ObjectNode data = SessionJson.MAPPER.createObjectNode();
        data.put("enabled", webhooks.enabled());
        ArrayNode out = data.putArray("deliveries");
        for (Webhooks.DeliveryView v : list) {
            out.add(node(v));
        }
        data.put("total", list.size());
        return Envelope.ok(data);
    }

    private HttpResponse redeliver(HttpRequest r) {
        String id = pathId(r, "id", "delivery id");
        Optional<Webhooks.DeliveryView> v = webhooks.redeliver(id);
        if (v.isEmpty()) {
            throw new ApiException(404, "no undelivered webhook delivery " + id + " (delivered ones are not kept); "
                    + "list them with GET " + PREFIX + "/webhooks/deliveries");
        }
        return Envelope.ok(node(v.get()));
    }

    private static Predicate<Webhooks.DeliveryView> filter(Optional<String> status) {
        if (status.isEmpty()) {
            return v -> true;
        }
        return switch (status.get().toLowerCase(Locale.ROOT)) {
            case "failed" -> Webhooks.DeliveryView::failed;
            case "dead" -> v -> v.record().status() == OutboxRecord.Status.DEAD;
            case "pending" -> v -> v.record().status() == OutboxRecord.Status.PENDING;
            default -> throw new ApiException(400, "query parameter status must be failed, dead or pending, was '"
                    + status.get() + "'");
        };
    }

    private static int limit(HttpRequest r) {
        Optional<String> v = r.queryParam("limit").filter(x -> !x.isBlank());
        if (v.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        int n;
        try {
            n = Integer.parseInt(v.get().trim());
        } catch (NumberFormatException e) {
            throw new ApiException(400, "query parameter limit must be an integer, was '" + v.get() + "'");
        }
        if (n < 1 || n > MAX_LIMIT) {
            throw new ApiException(400, "query parameter limit must be 1 to " + MAX_LIMIT + ", was " + n);
        }
        return n;
    }

    private static ObjectNode node(Webhooks.DeliveryView v) {
        OutboxRecord d = v.record();
        ObjectNode n = SessionJson.MAPPER.createObjectNode();
        n.put("id", d.id());
        n.put("event_id", d.eventId());
        n.put("type", d.type());
        boolean agent = d.type().equals(WebhookEventType.AGENT_STATE_CHANGED.wireName());
        n.put("session_id", agent ? null : d.key());
        if (agent) {
            n.put("agent_id", d.key().substring(d.key().indexOf(':') + 1));
        }
        n.put("endpoint", d.endpoint());
        n.put("status", d.status().name().toLowerCase(Locale.ROOT));
        n.put("state", v.state());
        n.put("attempts", d.attempts());
        n.put("last_error", d.lastError());
        n.put("last_attempt_at", d.lastAttemptAt() == null ? null : SessionJson.time(d.lastAttemptAt()));
        n.put("next_attempt_at", v.nextAttemptAt() == null ? null : SessionJson.time(v.nextAttemptAt()));
        n.put("created_at", SessionJson.time(d.createdAt()));
        n.put("durable", v.durable());
        return n;
    }
}
