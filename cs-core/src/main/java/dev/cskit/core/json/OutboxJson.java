/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.session.OutboxRecord;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The journal's JSON form of an {@link OutboxRecord}: every field for a kept record (pending, dead), only
 * {@code id} and {@code status} for one the store forgets (delivered, discarded). Stateless and thread-safe.
 */
public final class OutboxJson {

    private OutboxJson() {
    }

    public static ObjectNode toNode(OutboxRecord r) {
        ObjectNode n = SessionJson.MAPPER.createObjectNode();
        n.put("id", r.id());
        n.put("status", r.status().name().toLowerCase(Locale.ROOT));
        if (!r.status().kept()) {
            return n;
        }
        n.put("event_id", r.eventId());
        n.put("type", r.type());
        n.put("key", r.key());
        n.put("endpoint", r.endpoint());
        n.put("body", r.body());
        n.put("created_at", SessionJson.time(r.createdAt()));
        n.put("attempts", r.attempts());
        n.put("last_error", r.lastError());
        n.put("last_attempt_at", r.lastAttemptAt() == null ? null : SessionJson.time(r.lastAttemptAt()));
        n.put("since", SessionJson.time(r.since()));
        return n;
    }

    /** The status of a node of {@link #toNode}'s form. */
    public static OutboxRecord.Status status(JsonNode n) {
        try {
            return OutboxRecord.Status.valueOf(text(n, "status").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown outbox status '" + n.path("status").asText() + "'", e);
        }
    }

    /** The id of a node of {@link #toNode}'s form. */
    public static String id(JsonNode n) {
        return text(n, "id");
    }

    /**
     * Reads a kept record back.
     *
     * @throws IllegalArgumentException if a field is missing or malformed, or the status is not a kept one
     */
    public static OutboxRecord fromNode(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("an outbox record must be a JSON object");
        }
        OutboxRecord.Status status = status(n);
        if (!status.kept()) {
            throw new IllegalArgumentException("outbox record " + id(n) + " is " + status + ", which is not kept");
        }
        try {
            JsonNode attempts = n.get("attempts");
            if (attempts == null || !attempts.canConvertToInt()) {
                throw new IllegalArgumentException("field 'attempts' must be an integer");
            }
            String lastAttempt = optText(n, "last_attempt_at");
            return new OutboxRecord(id(n), text(n, "event_id"), text(n, "type"), text(n, "key"), text(n, "endpoint"),
                    text(n, "body"), Instant.parse(text(n, "created_at")), status, attempts.asInt(),
                    optText(n, "last_error"), lastAttempt == null ? null : Instant.parse(lastAttempt),
                    Instant.parse(text(n, "since")));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("malformed time: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("field '" + field + "' must be a string");
        }
        return v.asText();
    }

    private static @Nullable String optText(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException("field '" + field + "' must be a string or null");
        }
        return v.asText();
    }
}
