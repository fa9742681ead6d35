/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import java.util.TreeSet;

/** What the cluster ITs read back from a node's HTTP API: an agent's entry and state, a room's seated users. */
final class ClusterReads {

    private ClusterReads() {
    }

    /** The agent's entry in {@code GET /customer-service/agents} on this node; fails if it is not listed. */
    static JsonNode agent(Http node, String agentId) {
        for (JsonNode a : node.get("/customer-service/agents").data().path("agents")) {
            if (a.path("id").asText().equals(agentId)) {
                return a;
            }
        }
        throw new AssertionError("no agent " + agentId + " on " + node.base);
    }

    /** The agent's {@code state} as this node lists it. */
    static String agentState(Http node, String agentId) {
        return agent(node, agentId).path("state").asText();
    }

    /** The user ids seated in the session's room as {@code GET /customer-service/rooms} on this node lists them. */
    static Set<String> roomUsers(Http node, String sessionId) {
        Set<String> users = new TreeSet<>();
        for (JsonNode room : node.get("/customer-service/rooms").data().path("rooms")) {
            if (room.path("room_id").asText().equals("customer-service/" + sessionId)) {
                room.path("participants").forEach(u -> users.add(u.path("user_id").asText()));
            }
        }
        return users;
    }
}
