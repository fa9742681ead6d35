/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.cluster;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cskit.api.http.HttpHandler;
import dev.cskit.api.http.HttpRequest;
import dev.cskit.api.http.HttpResponse;
import dev.cskit.api.http.HttpRoutes;
import dev.cskit.core.auth.AdminGuard;
import dev.cskit.core.json.SessionJson;
import dev.cskit.core.web.Envelope;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The cluster's nodes over HTTP (admin): {@code GET /customer-service/nodes} lists the live nodes with their calls
 * and media load, least loaded first; {@code POST /customer-service/nodes/{id}/drain} takes a node out of the
 * choice for new media homes (its calls stay). Thread-safe; the handlers block on the registry.
 */
final class NodesResource {

    static final String PATH = "/customer-service/nodes";

    private final NodeRegistry registry;
    private final String selfId;
    private final AdminGuard admin;
    private final Runnable drainSelf;

    NodesResource(NodeRegistry registry, String selfId, AdminGuard admin, Runnable drainSelf) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.selfId = Objects.requireNonNull(selfId, "selfId");
        this.admin = Objects.requireNonNull(admin, "admin");
        this.drainSelf = Objects.requireNonNull(drainSelf, "drainSelf");
    }

    void mount(HttpRoutes routes) {
        routes.add("GET", PATH, guarded(this::list));
        routes.add("POST", PATH + "/{id}/drain", guarded(this::drain));
    }

    private HttpHandler guarded(HttpHandler h) {
        return r -> {
            Optional<AdminGuard.Refusal> no = admin.check(r);
            if (no.isPresent()) {
                return Envelope.error(no.get().status(), no.get().message());
            }
            try {
                return h.handle(r);
            } catch (IOException e) {
                return Envelope.error(503, "the cluster's node registry did not answer (" + e.getMessage()
                        + "); retry in a few seconds").withHeader("Retry-After", "2");
            }
        };
    }

    private HttpResponse list(HttpRequest r) throws IOException {
        List<NodeInfo> nodes = new ArrayList<>(registry.live());
        nodes.sort(NodeInfo.LEAST_LOADED);
        ObjectNode data = SessionJson.MAPPER.createObjectNode();
        data.put("node_id", selfId);
        ArrayNode list = data.putArray("nodes");
        for (NodeInfo n : nodes) {
            ObjectNode o = list.addObject();
            o.put("node_id", n.nodeId());
            o.put("url", n.url() == null ? null : n.url().toString());
            o.put("calls", n.calls());
            o.put("peers", n.peers());
            o.put("draining", n.draining());
            o.put("started", SessionJson.time(n.started()));
            o.put("last_seen", SessionJson.time(n.lastSeen()));
            o.put("self", n.nodeId().equals(selfId));
        }
        data.put("total", list.size());
        data.put("ttl_seconds", registry.ttl().toSeconds());
        return Envelope.ok(data);
    }

    private HttpResponse drain(HttpRequest r) throws IOException {
        String id = r.pathParam("id");
        if (id.equals(selfId)) {
            drainSelf.run();
        }
        if (!registry.drain(id) && !id.equals(selfId)) {
            return Envelope.error(404, "no live node " + id + " (GET " + PATH + " lists them)");
        }
        return Envelope.okMessage("node " + id + " is draining: it keeps its calls and takes no new media homes");
    }
}
