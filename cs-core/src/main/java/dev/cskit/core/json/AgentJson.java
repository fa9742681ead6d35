/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cskit.api.AgentAccount;

/**
 * The stored form of an agent account ({@code id, name, password_hash, enabled, generation, supervisor}; an account
 * stored before {@code supervisor} existed reads as no supervisor): what the agent
 * journal keeps. It holds the password hash, so it is never sent to a client. Stateless and thread-safe.
 */
public final class AgentJson {

    private AgentJson() {
    }

    public static ObjectNode toNode(AgentAccount a) {
        ObjectNode n = SessionJson.MAPPER.createObjectNode();
        n.put("id", a.id());
        n.put("name", a.name());
        n.put("password_hash", a.passwordHash());
        n.put("enabled", a.enabled());
        n.put("generation", a.generation());
        n.put("supervisor", a.supervisor());
        return n;
    }

    /**
     * Reads an account back from {@link #toNode}'s form.
     *
     * @throws IllegalArgumentException if a field is missing or malformed
     */
    public static AgentAccount fromNode(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("an agent must be a JSON object");
        }
        JsonNode enabled = n.get("enabled");
        JsonNode generation = n.get("generation");
        if (enabled == null || !enabled.isBoolean()) {
            throw new IllegalArgumentException("field 'enabled' must be true or false");
        }
        if (generation == null || !generation.isInt()) {
            throw new IllegalArgumentException("field 'generation' must be an integer");
        }
        JsonNode supervisor = n.get("supervisor");
        if (supervisor != null && !supervisor.isBoolean()) {
            throw new IllegalArgumentException("field 'supervisor' must be true or false");
        }
        return new AgentAccount(text(n, "id"), text(n, "name"), text(n, "password_hash"), enabled.booleanValue(),
                generation.intValue(), supervisor != null && supervisor.booleanValue());
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("field '" + field + "' must be a string");
        }
        return v.asText();
    }
}
