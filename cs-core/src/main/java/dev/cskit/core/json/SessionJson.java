/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.session.EndReason;
import dev.cskit.api.session.Rating;
import dev.cskit.api.session.Session;
import dev.cskit.api.session.SessionStatus;
import dev.cskit.api.session.Stats;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The JSON form of a session (PROTOCOL.md "A session", plus {@code recorded}, {@code recording_disabled} and
 * {@code quality}, {@link QualityJson}):
 * snake_case keys, times ISO-8601 UTC, {@code duration} in seconds. The same form, without {@code duration}, is what the journal stores. Stateless and thread-safe.
 */
public final class SessionJson {

    /** How deep JSON read here may nest; request bodies and journal records need 3 levels. */
    public static final int MAX_NESTING = 64;
    /** The longest number read here, in characters. */
    public static final int MAX_NUMBER_LENGTH = 100;

    /**
     * One shared mapper ({@link ObjectMapper} is thread-safe once configured): strict about trailing data
     * and duplicate keys, so a body means exactly one thing, and bounded in nesting and number length.
     */
    public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_NESTING)
                            .maxNumberLength(MAX_NUMBER_LENGTH)
                            .build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private SessionJson() {
    }

    /** ISO-8601 UTC, e.g. {@code 2024-01-15T10:30:00Z}. */
    public static String time(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t);
    }

    /**
     * The session as JSON.
     *
     * @param now the time {@code duration} is measured to while the call is active, or {@code null} to leave
     *            {@code duration} out (the journal's form)
     */
    public static ObjectNode toNode(Session s, @Nullable Instant now) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", s.id());
        n.put("title", s.title());
        n.put("description", s.description());
        n.put("customer_id", s.customerId());
        n.put("customer_name", s.customerName());
        n.put("agent_id", s.agentId());
        n.put("agent_name", s.agentName());
        n.put("status", s.status().wireName());
        n.put("on_hold", s.onHold());
        n.put("created_at", time(s.createdAt()));
        n.put("accepted_at", s.acceptedAt() == null ? null : time(s.acceptedAt()));
        n.put("ended_at", s.endedAt() == null ? null : time(s.endedAt()));
        if (now != null) {
            n.put("duration", s.durationSeconds(now));
        }
        n.put("end_reason", s.endReason() == null ? null : s.endReason().wireName());
        Rating r = s.rating();
        if (r == null) {
            n.putNull("rating");
        } else {
            ObjectNode rn = n.putObject("rating");
            rn.put("stars", r.stars());
            rn.put("comment", r.comment());
            rn.put("rated_at", time(r.ratedAt()));
        }
        n.put("recorded", s.recorded());
        n.put("recording_disabled", s.recordingDisabled());
        if (s.quality() == null) {
            n.putNull("quality");
        } else {
            n.set("quality", QualityJson.toNode(s.quality()));
        }
        return n;
    }

    /**
     * Reads a session back from {@link #toNode}'s form.
     *
     * @throws IllegalArgumentException if a field is missing or malformed, or the session is inconsistent
     */
    public static Session fromNode(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("a session must be a JSON object");
        }
        try {
            Session.Builder b = Session.newBuilder(text(n, "id"), text(n, "title"), text(n, "customer_id"),
                    text(n, "customer_name"), instant(n, "created_at"));
            b.description(text(n, "description"));
            b.agent(optText(n, "agent_id"), optText(n, "agent_name"));
            b.status(SessionStatus.fromWire(text(n, "status")));
            b.onHold(n.path("on_hold").asBoolean(false));
            b.acceptedAt(optInstant(n, "accepted_at"));
            String reason = optText(n, "end_reason");
            b.ended(optInstant(n, "ended_at"), reason == null ? null : EndReason.fromWire(reason));
            JsonNode r = n.get("rating");
            if (r != null && !r.isNull()) {
                if (!r.path("stars").isInt()) {
                    throw new IllegalArgumentException("rating.stars must be an integer");
                }
                b.rating(new Rating(r.get("stars").asInt(), r.path("comment").asText(""), instant(r, "rated_at")));
            }
            // Absent in what older versions wrote: nothing was known to be recorded, nobody turned it off.
            b.recorded(n.path("recorded").asBoolean(false));
            b.recordingDisabled(n.path("recording_disabled").asBoolean(false));
            // Absent in what older versions wrote, and in sessions that ended without media.
            b.quality(QualityJson.fromNode(n.get("quality")));
            return b.build();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("malformed time: " + e.getMessage(), e);
        }
    }

    /** The {@code /stats} body. */
    public static ObjectNode statsNode(Stats s) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("total_sessions", s.totalSessions());
        n.put("active_sessions", s.activeSessions());
        n.put("waiting_sessions", s.waitingSessions());
        n.put("ended_sessions", s.endedSessions());
        n.put("rated_sessions", s.ratedSessions());
        n.put("average_rating", Math.round(s.averageRating() * 100) / 100.0);
        n.put("average_duration", Math.round(s.averageDurationSeconds() * 10) / 10.0);
        return n;
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

    private static Instant instant(JsonNode n, String field) {
        return Instant.parse(text(n, field));
    }

    private static @Nullable Instant optInstant(JsonNode n, String field) {
        String s = optText(n, field);
        return s == null ? null : Instant.parse(s);
    }
}
