/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.store.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.core.agent.AgentRecord;
import dev.cskit.core.agent.AgentState;
import dev.cskit.core.agent.QueuedCall;
import dev.cskit.core.agent.Ring;
import dev.cskit.core.json.SessionJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The router's records as {@link RedisRoutingState} keeps them: one JSON object per agent and per queued call, times
 * as epoch milliseconds. A value that does not parse is an {@link IllegalStateException} (the state is damaged).
 */
final class RoutingJson {

    private RoutingJson() {
    }

    static String agent(AgentRecord a) {
        ObjectNode n = SessionJson.MAPPER.createObjectNode();
        n.put("id", a.id());
        n.put("name", a.name());
        n.put("present", a.present());
        n.put("seated", a.seated());
        n.put("wants_ready", a.wantsReady());
        if (a.ring() != null) {
            n.set("ring", ring(a.ring()));
        }
        ArrayNode calls = n.putArray("calls");
        a.calls().forEach(calls::add);
        putTime(n, "wrap_until", a.wrapUntil());
        putTime(n, "idle_since", a.idleSince());
        putTime(n, "state_since", a.stateSince());
        n.put("published", a.published().name());
        return write(n);
    }

    static AgentRecord agent(String json) {
        JsonNode n = read(json);
        List<String> calls = new ArrayList<>();
        n.path("calls").forEach(c -> calls.add(c.asText()));
        return new AgentRecord(n.path("id").asText(), n.path("name").asText(), n.path("present").asBoolean(),
                n.path("seated").asBoolean(), n.path("wants_ready").asBoolean(),
                n.hasNonNull("ring") ? ring(n.get("ring")) : null, calls, time(n, "wrap_until"),
                time(n, "idle_since"), time(n, "state_since"),
                AgentState.valueOf(n.path("published").asText().toUpperCase(Locale.ROOT)));
    }

    static String queued(QueuedCall q) {
        ObjectNode n = SessionJson.MAPPER.createObjectNode();
        n.put("session_id", q.sessionId());
        n.put("customer_id", q.customerId());
        putTime(n, "since", q.since());
        ArrayNode declined = n.putArray("declined");
        q.declined().stream().sorted().forEach(declined::add);
        n.put("ring_id", q.ringId());
        n.put("ringing_agent", q.ringingAgent());
        n.put("told_position", q.toldPosition());
        n.put("told_wait", q.toldWait());
        return write(n);
    }

    static QueuedCall queued(String json) {
        JsonNode n = read(json);
        Set<String> declined = new HashSet<>();
        n.path("declined").forEach(d -> declined.add(d.asText()));
        return new QueuedCall(n.path("session_id").asText(), n.path("customer_id").asText(), time(n, "since"),
                declined, n.path("ring_id").asLong(), n.hasNonNull("ringing_agent") ? n.get("ringing_agent").asText()
                : null, n.path("told_position").asInt(), n.path("told_wait").asLong());
    }

    private static ObjectNode ring(Ring r) {
        ObjectNode n = SessionJson.MAPPER.createObjectNode();
        n.put("id", r.id());
        n.put("session_id", r.sessionId());
        n.put("agent_id", r.agentId());
        n.put("from_agent_id", r.fromAgentId());
        n.put("agent_name", r.agentName());
        putTime(n, "expires_at", r.expiresAt());
        n.put("accepting", r.accepting());
        return n;
    }

    private static Ring ring(JsonNode n) {
        return new Ring(n.path("id").asLong(), n.path("session_id").asText(), n.path("agent_id").asText(),
                n.hasNonNull("from_agent_id") ? n.get("from_agent_id").asText() : null, n.path("agent_name").asText(),
                time(n, "expires_at"), n.path("accepting").asBoolean());
    }

    private static void putTime(ObjectNode n, String field, @Nullable Instant t) {
        if (t != null) {
            n.put(field, t.toEpochMilli());
        }
    }

    private static @Nullable Instant time(JsonNode n, String field) {
        return n.hasNonNull(field) ? Instant.ofEpochMilli(n.get(field).asLong()) : null;
    }

    private static String write(JsonNode n) {
        try {
            return SessionJson.MAPPER.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a routing record: " + e.getOriginalMessage(), e);
        }
    }

    private static JsonNode read(String json) {
        try {
            return SessionJson.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a routing record in Redis is not valid JSON: " + e.getOriginalMessage(),
                    e);
        }
    }
}
