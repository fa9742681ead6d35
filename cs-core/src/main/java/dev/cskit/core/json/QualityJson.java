/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.session.CallQuality;
import dev.cskit.api.session.DirectionQuality;

/**
 * The JSON form of a call's quality: {@code {"mos", "customer_to_agent": {…}|null, "agent_to_customer": {…}|null}},
 * each direction {@code {"loss_pct", "jitter_ms", "rtt_ms"|null, "mos", "packets"}}; {@code mos} at the top is the
 * worse direction's (null if neither is known). Figures are rounded to two decimals. Stateless and thread-safe.
 */
public final class QualityJson {

    private QualityJson() {
    }

    /** The quality as JSON. */
    public static ObjectNode toNode(CallQuality q) {
        ObjectNode n = SessionJson.MAPPER.createObjectNode();
        if (q.worstMos().isPresent()) {
            n.put("mos", round(q.worstMos().getAsDouble()));
        } else {
            n.putNull("mos");
        }
        direction(n, "customer_to_agent", q.customerToAgent());
        direction(n, "agent_to_customer", q.agentToCustomer());
        return n;
    }

    private static void direction(ObjectNode parent, String field, @Nullable DirectionQuality d) {
        if (d == null) {
            parent.putNull(field);
            return;
        }
        ObjectNode n = parent.putObject(field);
        n.put("loss_pct", round(d.lossPercent()));
        n.put("jitter_ms", round(d.jitterMs()));
        if (d.rttMs() == null) {
            n.putNull("rtt_ms");
        } else {
            n.put("rtt_ms", round(d.rttMs()));
        }
        n.put("mos", round(d.mos()));
        n.put("packets", d.packets());
    }

    /**
     * Reads {@link #toNode}'s form back; null for null or absent.
     *
     * @throws IllegalArgumentException if it is malformed
     */
    public static @Nullable CallQuality fromNode(@Nullable JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw new IllegalArgumentException("quality must be an object or null");
        }
        return new CallQuality(direction(n.get("customer_to_agent"), "customer_to_agent"),
                direction(n.get("agent_to_customer"), "agent_to_customer"));
    }

    private static @Nullable DirectionQuality direction(@Nullable JsonNode n, String field) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw new IllegalArgumentException("quality." + field + " must be an object or null");
        }
        JsonNode rtt = n.get("rtt_ms");
        if (rtt != null && !rtt.isNull() && !rtt.isNumber()) {
            throw new IllegalArgumentException("quality." + field + ".rtt_ms must be a number or null");
        }
        if (!n.path("packets").isIntegralNumber()) {
            throw new IllegalArgumentException("quality." + field + ".packets must be an integer");
        }
        return new DirectionQuality(number(n, field, "loss_pct"), number(n, field, "jitter_ms"),
                rtt == null || rtt.isNull() ? null : rtt.asDouble(), number(n, field, "mos"), n.get("packets").asLong());
    }

    private static double number(JsonNode n, String parent, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isNumber()) {
            throw new IllegalArgumentException("quality." + parent + "." + field + " must be a number");
        }
        return v.asDouble();
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
