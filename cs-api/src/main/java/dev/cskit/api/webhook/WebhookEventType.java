/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.webhook;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The events a webhook endpoint can hear. Every one but {@link #AGENT_STATE_CHANGED} is written to the session
 * store in the same durable step as the change that caused it; agent presence is not durable, so an agent's
 * state change is delivered at least once from when it happens and may be lost in a crash.
 */
public enum WebhookEventType {
    SESSION_CREATED("session.created"),
    SESSION_ASSIGNED("session.assigned"),
    CALL_ACCEPTED("call.accepted"),
    CALL_HELD("call.held"),
    CALL_RESUMED("call.resumed"),
    CALL_TRANSFERRED("call.transferred"),
    CALL_ENDED("call.ended"),
    SESSION_RATED("session.rated"),
    RECORDING_READY("recording.ready"),
    AGENT_STATE_CHANGED("agent.state_changed");

    private final String wireName;

    WebhookEventType(String wireName) {
        this.wireName = wireName;
    }

    /** The {@code type} of the event's body, e.g. {@code call.ended}. */
    public String wireName() {
        return wireName;
    }

    /** Whether the event is kept in the store's outbox (everything but agent presence). */
    public boolean durable() {
        return this != AGENT_STATE_CHANGED;
    }

    /**
     * The type of a wire name.
     *
     * @throws IllegalArgumentException naming the known types
     */
    public static WebhookEventType fromWire(String name) {
        for (WebhookEventType t : values()) {
            if (t.wireName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown webhook event '" + name + "'; known events: "
                + Arrays.stream(values()).map(WebhookEventType::wireName).collect(Collectors.joining(", ")));
    }
}
