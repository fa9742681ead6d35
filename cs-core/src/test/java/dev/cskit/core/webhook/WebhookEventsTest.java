/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.session.EndReason;
import dev.cskit.api.session.Session;
import dev.cskit.api.webhook.WebhookEventType;
import dev.cskit.core.MutableClock;
import dev.cskit.core.session.InMemorySessionStore;
import dev.cskit.core.session.SessionManager;
import dev.cskit.core.session.SessionOutbox;
import dev.cskit.api.session.OutboxRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The events of each session change, driven through the session manager as the plugin does. */
class WebhookEventsTest {

    private final MutableClock clock = new MutableClock();
    private final List<WebhookEvents.Event> events = new ArrayList<>();
    private SessionManager sessions;

    @BeforeEach
    void open() throws Exception {
        sessions = new SessionManager(new InMemorySessionStore(), clock, 100, Duration.ofHours(1));
        sessions.restore();
        sessions.useOutbox(new SessionOutbox() {
            @Override
            public List<OutboxRecord> recordsFor(@Nullable Session before, Session after) {
                events.addAll(WebhookEvents.between(before, after, clock.instant()));
                return List.of();
            }

            @Override
            public void stored(List<OutboxRecord> records) {
            }
        });
    }

    private List<String> types() {
        return events.stream().map(e -> e.type().wireName()).toList();
    }

    private JsonNode last(WebhookEventType type) {
        for (int i = events.size() - 1; i >= 0; i--) {
            if (events.get(i).type() == type) {
                return events.get(i).data();
            }
        }
        throw new AssertionError("no " + type + " in " + types());
    }

    @Test
    void aWholeCallGivesEveryEventInOrder() {
        Session s = sessions.create("Broken screen", "John", null);
        sessions.assign(s.id(), "agent_001", "Agent Wang");
        sessions.accept(s.id(), "agent_001");
        clock.advance(Duration.ofSeconds(30));
        sessions.hold(s.id(), "agent_001");
        sessions.resume(s.id(), "agent_001");
        sessions.transfer(s.id(), "agent_001", "agent_002", "Agent Li");
        clock.advance(Duration.ofSeconds(12));
        sessions.end(s.id(), s.customerId());
        sessions.rate(s.id(), 4, "fine");
        assertEquals(List.of("session.created", "session.assigned", "call.accepted", "call.held", "call.resumed",
                "call.transferred", "call.ended", "session.rated"), types());
        for (WebhookEvents.Event e : events) {
            assertEquals(s.id(), e.data().path("session_id").asText(), e.type() + " carries session_id");
            assertEquals(s.id(), e.data().path("session").path("id").asText(), e.type() + " carries the session");
        }
        JsonNode assigned = last(WebhookEventType.SESSION_ASSIGNED);
        assertEquals("agent_001", assigned.path("agent_id").asText());
        assertTrue(assigned.path("previous_agent_id").isNull());
        JsonNode transferred = last(WebhookEventType.CALL_TRANSFERRED);
        assertEquals("agent_001", transferred.path("from_agent_id").asText());
        assertEquals("agent_002", transferred.path("to_agent_id").asText());
        JsonNode ended = last(WebhookEventType.CALL_ENDED);
        assertEquals("customer_hangup", ended.path("reason").asText());
        assertEquals(42, ended.path("duration").asLong());
        assertEquals("agent_002", ended.path("agent_id").asText());
        assertFalse(ended.has("quality"), "no quality until the session has one");
        JsonNode rated = last(WebhookEventType.SESSION_RATED);
        assertEquals(4, rated.path("stars").asInt());
        assertEquals("fine", rated.path("comment").asText());
    }

    @Test
    void takingARoutedCallIsAssignedThenAccepted() {
        Session s = sessions.create("t", "c", null);
        sessions.take(s.id(), "agent_003", "Agent Three");
        assertEquals(List.of("session.created", "session.assigned", "call.accepted"), types());
    }

    @Test
    void reassigningAWaitingSessionNamesThePreviousAgent() {
        Session s = sessions.create("t", "c", null);
        sessions.assign(s.id(), "agent_001", "A");
        sessions.assign(s.id(), "agent_002", "B");
        assertEquals("agent_001", last(WebhookEventType.SESSION_ASSIGNED).path("previous_agent_id").asText());
    }

    @Test
    void aWaitingSessionThatEndsHasACallEndedOfNoDuration() {
        Session s = sessions.create("t", "c", null);
        clock.advance(Duration.ofSeconds(90));
        sessions.end(s.id(), EndReason.TIMEOUT);
        JsonNode ended = last(WebhookEventType.CALL_ENDED);
        assertEquals("timeout", ended.path("reason").asText());
        assertEquals(0, ended.path("duration").asLong());
        assertTrue(ended.path("accepted_at").isNull());
    }

    @Test
    void endingAHeldCallIsOnlyCallEnded() {
        Session s = sessions.create("t", "c", null);
        sessions.assign(s.id(), "agent_001", "A");
        sessions.accept(s.id(), "agent_001");
        sessions.hold(s.id(), "agent_001");
        events.clear();
        sessions.end(s.id(), "agent_001");
        assertEquals(List.of("call.ended"), types());
        assertEquals("agent_hangup", last(WebhookEventType.CALL_ENDED).path("reason").asText());
    }
}
