/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.session.Rating;
import dev.cskit.api.session.Session;
import dev.cskit.api.session.SessionStatus;
import dev.cskit.api.webhook.WebhookEventType;
import dev.cskit.core.agent.AgentState;
import dev.cskit.core.agent.AgentView;
import dev.cskit.core.json.SessionJson;
import dev.cskit.core.media.Recordings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The events of a session change, and their {@code data}: pure functions of the change and the time. Every
 * {@code data} has {@code session_id}; a session event's also has the whole {@code session} as
 * {@code GET /sessions/{id}} shows it. Stateless and thread-safe.
 *
 * <ul>
 *   <li>{@code session.created}: a new session.</li>
 *   <li>{@code session.assigned} {@code {agent_id, agent_name, previous_agent_id}}: a Waiting session got an agent
 *       (by hand, or taken by an agent through routing, then also {@code call.accepted}).</li>
 *   <li>{@code call.accepted} {@code {agent_id, agent_name, accepted_at}}: Waiting to Active.</li>
 *   <li>{@code call.held}, {@code call.resumed} {@code {agent_id}}.</li>
 *   <li>{@code call.transferred} {@code {from_agent_id, to_agent_id, to_agent_name}}: an Active call changed agent
 *       (a held call is picked up live by the new agent: no {@code call.resumed}).</li>
 *   <li>{@code call.ended} {@code {reason, duration, accepted_at, ended_at, agent_id, quality?}}: every session's
 *       end, a Waiting one's too ({@code accepted_at} null, duration 0); {@code quality} when the session has
 *       it.</li>
 *   <li>{@code session.rated} {@code {stars, comment, rated_at, agent_id}}.</li>
 * </ul>
 */
public final class WebhookEvents {

    /** One event: its type and {@code data}. */
    public record Event(WebhookEventType type, ObjectNode data) {
        public Event {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(data, "data");
        }
    }

    /** A finished recording file, for {@code recording.ready}. */
    public record RecordingFile(String name, String userId, String kind, String codec, long bytes, Instant createdAt) {

        /** A session's recording files, as {@code recording.ready} lists them. */
        public static List<RecordingFile> listed(Recordings recordings, String sessionId) {
            List<RecordingFile> out = new ArrayList<>();
            try {
                for (Recordings.Entry e : recordings.list(sessionId)) {
                    out.add(new RecordingFile(e.name(), e.userId(), e.kind(), e.codec(), e.bytes(), e.createdAt()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list the recordings of " + sessionId, e);
            }
            return out;
        }
    }

    private WebhookEvents() {
    }

    /**
     * The events of a change, in the order they happened; none for changes no event names.
     *
     * @param before the previous version, or {@code null} for a new session
     * @param now    the time of the change (a call's duration while it is active is measured to it)
     */
    public static List<Event> between(@Nullable Session before, Session after, Instant now) {
        List<Event> out = new ArrayList<>(2);
        ObjectNode session = SessionJson.toNode(after, now);
        if (before == null) {
            event(WebhookEventType.SESSION_CREATED, out, after);
            return withSession(out, session);
        }
        boolean agentChanged = !Objects.equals(before.agentId(), after.agentId());
        SessionStatus was = before.status();
        SessionStatus is = after.status();
        if (agentChanged && after.agentId() != null && was == SessionStatus.WAITING
                && (is == SessionStatus.WAITING || is == SessionStatus.ACTIVE)) {
            ObjectNode d = event(WebhookEventType.SESSION_ASSIGNED, out, after);
            d.put("agent_id", after.agentId());
            d.put("agent_name", after.agentName());
            d.put("previous_agent_id", before.agentId());
        }
        if (was == SessionStatus.WAITING && is == SessionStatus.ACTIVE) {
            ObjectNode d = event(WebhookEventType.CALL_ACCEPTED, out, after);
            d.put("agent_id", after.agentId());
            d.put("agent_name", after.agentName());
            d.put("accepted_at", SessionJson.time(Objects.requireNonNull(after.acceptedAt(), "acceptedAt")));
        }
        if (was == SessionStatus.ACTIVE && is == SessionStatus.ACTIVE) {
            if (agentChanged) {
                ObjectNode d = event(WebhookEventType.CALL_TRANSFERRED, out, after);
                d.put("from_agent_id", before.agentId());
                d.put("to_agent_id", after.agentId());
                d.put("to_agent_name", after.agentName());
            } else if (!before.onHold() && after.onHold()) {
                event(WebhookEventType.CALL_HELD, out, after).put("agent_id", after.agentId());
            } else if (before.onHold() && !after.onHold()) {
                event(WebhookEventType.CALL_RESUMED, out, after).put("agent_id", after.agentId());
            }
        }
        if (!before.isEnded() && after.isEnded()) {
            ObjectNode d = event(WebhookEventType.CALL_ENDED, out, after);
            d.put("reason", Objects.requireNonNull(after.endReason(), "endReason").wireName());
            d.put("duration", after.durationSeconds(now));
            d.put("accepted_at", after.acceptedAt() == null ? null : SessionJson.time(after.acceptedAt()));
            d.put("ended_at", SessionJson.time(Objects.requireNonNull(after.endedAt(), "endedAt")));
            d.put("agent_id", after.agentId());
            // The call's quality (issue 16 item 2) joins the session's JSON as "quality"; call.ended carries it at the
            // top of its data as soon as the session has it, and leaves it out until then.
            JsonNode quality = session.get("quality");
            if (quality != null && !quality.isNull()) {
                d.set("quality", quality);
            }
        }
        if (before.rating() == null && after.rating() != null) {
            Rating r = after.rating();
            ObjectNode d = event(WebhookEventType.SESSION_RATED, out, after);
            d.put("stars", r.stars());
            d.put("comment", r.comment());
            d.put("rated_at", SessionJson.time(r.ratedAt()));
            d.put("agent_id", after.agentId());
        }
        return withSession(out, session);
    }

    private static List<Event> withSession(List<Event> events, ObjectNode session) {
        for (Event e : events) {
            e.data().set("session", session.deepCopy());
        }
        return events;
    }

    /**
     * {@code agent.state_changed} {@code {agent_id, agent_name, state, previous_state, since, session_id}}: the
     * session it is ringing for or busy with, else null.
     */
    public static Event agentStateChanged(AgentView agent, AgentState previous) {
        ObjectNode d = SessionJson.MAPPER.createObjectNode();
        d.put("agent_id", agent.id());
        d.put("agent_name", agent.name());
        d.put("state", agent.state().wireName());
        d.put("previous_state", previous.wireName());
        d.put("since", SessionJson.time(agent.stateSince()));
        d.put("session_id", agent.ringingSession() != null ? agent.ringingSession()
                : agent.calls().isEmpty() ? null : agent.calls().get(agent.calls().size() - 1));
        return new Event(WebhookEventType.AGENT_STATE_CHANGED, d);
    }

    /** {@code recording.ready} {@code {session_id, recordings: [{name, user_id, kind, codec, bytes, created_at}]}}. */
    public static Event recordingReady(String sessionId, List<RecordingFile> files) {
        ObjectNode d = SessionJson.MAPPER.createObjectNode();
        d.put("session_id", sessionId);
        ArrayNode list = d.putArray("recordings");
        for (RecordingFile f : files) {
            ObjectNode n = list.addObject();
            n.put("name", f.name());
            n.put("user_id", f.userId());
            n.put("kind", f.kind());
            n.put("codec", f.codec());
            n.put("bytes", f.bytes());
            n.put("created_at", SessionJson.time(f.createdAt()));
        }
        return new Event(WebhookEventType.RECORDING_READY, d);
    }

    private static ObjectNode event(WebhookEventType type, List<Event> out, Session s) {
        ObjectNode d = SessionJson.MAPPER.createObjectNode();
        d.put("session_id", s.id());
        out.add(new Event(type, d));
        return d;
    }
}
