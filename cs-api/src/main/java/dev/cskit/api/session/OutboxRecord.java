/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.session;

import dev.cskit.api.annotation.Nullable;
import java.time.Instant;
import java.util.Objects;

/**
 * One delivery in the webhook outbox: an event body for one endpoint, and how far its delivery got. A
 * {@link SessionStore} keeps it durably ({@link SessionStore#put(Session, java.util.List)},
 * {@link SessionStore#putOutbox}); it never interprets the body. Immutable: progress makes a new version with
 * the same {@link #id}.
 *
 * @param id            the delivery's id ({@code dlv_…}), unique
 * @param eventId       the event's id ({@code msg_…}), the {@code webhook-id} header; shared by the deliveries of one
 *                      event to several endpoints
 * @param type          the event type's wire name, e.g. {@code call.ended}
 * @param key           what deliveries are ordered by: the session id for session events (the deliveries of one key
 *                      to one endpoint are sent in order)
 * @param endpoint      the endpoint's URL
 * @param body          the JSON body, sent as it is on every attempt
 * @param createdAt     when the event happened
 * @param status        where the delivery is
 * @param attempts      attempts made so far
 * @param lastError     why the last attempt failed, or {@code null}
 * @param lastAttemptAt when the last attempt was made, or {@code null}
 * @param since         when the current run of attempts began: {@code createdAt}, or when an admin redelivered
 *                      it; a delivery still failing {@code max_age} after it is dead-lettered
 */
public record OutboxRecord(String id, String eventId, String type, String key, String endpoint, String body,
                           Instant createdAt, Status status, int attempts, @Nullable String lastError,
                           @Nullable Instant lastAttemptAt, Instant since) {

    /** Where a delivery is. A store keeps {@link #PENDING} and {@link #DEAD} ones and forgets the others. */
    public enum Status {
        /** Not delivered yet: waiting its turn, in flight, or waiting to retry. */
        PENDING,
        /** Failed until {@code max_age}: kept for an admin to see and redeliver. */
        DEAD,
        /** The endpoint answered 2xx: forgotten. */
        DELIVERED,
        /** Dropped (its endpoint is no longer configured, or the oldest dead ones beyond the limit): forgotten. */
        DISCARDED;

        /** Whether a store keeps a delivery in this state. */
        public boolean kept() {
            return this == PENDING || this == DEAD;
        }
    }

    public OutboxRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(since, "since");
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must not be negative, was " + attempts);
        }
    }

    /** A new delivery, not attempted yet. */
    public static OutboxRecord pending(String id, String eventId, String type, String key, String endpoint,
                                       String body, Instant createdAt) {
        return new OutboxRecord(id, eventId, type, key, endpoint, body, createdAt, Status.PENDING, 0, null, null,
                createdAt);
    }

    /** This delivery after a failed attempt at {@code at}, still pending. */
    public OutboxRecord failed(Instant at, String error) {
        return new OutboxRecord(id, eventId, type, key, endpoint, body, createdAt, Status.PENDING, attempts + 1,
                Objects.requireNonNull(error, "error"), at, since);
    }

    /** This delivery in another state, its attempts as they are. */
    public OutboxRecord withStatus(Status next) {
        return new OutboxRecord(id, eventId, type, key, endpoint, body, createdAt, Objects.requireNonNull(next, "next"),
                attempts, lastError, lastAttemptAt, since);
    }

    /** This delivery pending again from {@code now} (an admin redelivers it); its last error stays visible. */
    public OutboxRecord redelivered(Instant now) {
        return new OutboxRecord(id, eventId, type, key, endpoint, body, createdAt, Status.PENDING, attempts, lastError,
                lastAttemptAt, Objects.requireNonNull(now, "now"));
    }

    @Override
    public String toString() {
        return "OutboxRecord[" + id + " " + type + " of " + key + " to " + endpoint + ", " + status + ", "
                + attempts + " attempts]";
    }
}
