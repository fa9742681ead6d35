/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.session;

import dev.cskit.api.annotation.Nullable;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One customer-service session: a 1v1 call between a customer and an agent, and its record afterwards.
 * Immutable; every change produces a new instance ({@link #toBuilder()}).
 *
 * @param id           {@code cs_} followed by an unguessable random part
 * @param title        what the session is about
 * @param description  longer text; empty if none
 * @param customerId   the customer's user id in the room
 * @param customerName the customer's display name
 * @param agentId      the assigned agent, or {@code null} before assignment
 * @param agentName    the assigned agent's display name, or {@code null} before assignment
 * @param status       where it is in its life
 * @param onHold       whether an active call is on hold
 * @param createdAt    when it was created
 * @param acceptedAt   when the agent accepted, or {@code null}
 * @param endedAt      when it ended, or {@code null}
 * @param endReason    why it ended, or {@code null}
 * @param rating       the customer's rating, or {@code null}
 * @param recorded     whether some of the call's media was recorded (set from the first recorded packet; never
 *                     cleared)
 * @param recordingDisabled whether an admin turned recording off for this session (it is not recorded from then
 *                     on, even if {@code enable_recording} is on; never cleared)
 * @param quality      the call's quality per direction, measured by the media path when the session ended, or
 *                     {@code null} (not ended yet, no media, or ended by a version that did not measure it)
 */
public record Session(
        String id,
        String title,
        String description,
        String customerId,
        String customerName,
        @Nullable String agentId,
        @Nullable String agentName,
        SessionStatus status,
        boolean onHold,
        Instant createdAt,
        @Nullable Instant acceptedAt,
        @Nullable Instant endedAt,
        @Nullable EndReason endReason,
        @Nullable Rating rating,
        boolean recorded,
        boolean recordingDisabled,
        @Nullable CallQuality quality) {

    public Session {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(customerName, "customerName");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        if ((agentId == null) != (agentName == null)) {
            throw new IllegalArgumentException("agentId and agentName are set together");
        }
        if (status == SessionStatus.ENDED && (endedAt == null || endReason == null)) {
            throw new IllegalArgumentException("an ended session needs endedAt and endReason");
        }
        if (status != SessionStatus.ENDED && (endedAt != null || endReason != null || rating != null)) {
            throw new IllegalArgumentException("only an ended session has endedAt, endReason or a rating");
        }
        if (status == SessionStatus.ACTIVE && (acceptedAt == null || agentId == null)) {
            throw new IllegalArgumentException("an active session needs an agent and acceptedAt");
        }
        if (onHold && status != SessionStatus.ACTIVE) {
            throw new IllegalArgumentException("only an active call can be on hold");
        }
        if (quality != null && status != SessionStatus.ENDED) {
            throw new IllegalArgumentException("only an ended session keeps a call quality");
        }
    }

    /**
     * Seconds of call: from {@code acceptedAt} to {@code endedAt} (or to {@code now} while active); 0 if the
     * call was never accepted.
     */
    public long durationSeconds(Instant now) {
        if (acceptedAt == null) {
            return 0;
        }
        Instant end = endedAt != null ? endedAt : now;
        return Math.max(0, Duration.between(acceptedAt, end).getSeconds());
    }

    public boolean isEnded() {
        return status == SessionStatus.ENDED;
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Starts a new session in {@link SessionStatus#WAITING}. */
    public static Builder newBuilder(String id, String title, String customerId, String customerName,
                                     Instant createdAt) {
        return new Builder(new Session(id, title, "", customerId, customerName, null, null,
                SessionStatus.WAITING, false, createdAt, null, null, null, null, false, false, null));
    }

    /** Builds a {@link Session}; the record's checks run in {@link #build()}. Not thread-safe. */
    public static final class Builder {
        private final String id;
        private final String title;
        private final String customerId;
        private final String customerName;
        private final Instant createdAt;
        private String description;
        private @Nullable String agentId;
        private @Nullable String agentName;
        private SessionStatus status;
        private boolean onHold;
        private @Nullable Instant acceptedAt;
        private @Nullable Instant endedAt;
        private @Nullable EndReason endReason;
        private @Nullable Rating rating;
        private boolean recorded;
        private boolean recordingDisabled;
        private @Nullable CallQuality quality;

        private Builder(Session s) {
            id = s.id;
            title = s.title;
            description = s.description;
            customerId = s.customerId;
            customerName = s.customerName;
            agentId = s.agentId;
            agentName = s.agentName;
            status = s.status;
            onHold = s.onHold;
            createdAt = s.createdAt;
            acceptedAt = s.acceptedAt;
            endedAt = s.endedAt;
            endReason = s.endReason;
            rating = s.rating;
            recorded = s.recorded;
            recordingDisabled = s.recordingDisabled;
            quality = s.quality;
        }

        public Builder description(String description) {
            this.description = Objects.requireNonNull(description, "description");
            return this;
        }

        public Builder agent(@Nullable String agentId, @Nullable String agentName) {
            this.agentId = agentId;
            this.agentName = agentName;
            return this;
        }

        public Builder status(SessionStatus status) {
            this.status = Objects.requireNonNull(status, "status");
            return this;
        }

        public Builder onHold(boolean onHold) {
            this.onHold = onHold;
            return this;
        }

        public Builder acceptedAt(@Nullable Instant acceptedAt) {
            this.acceptedAt = acceptedAt;
            return this;
        }

        public Builder ended(@Nullable Instant endedAt, @Nullable EndReason endReason) {
            this.endedAt = endedAt;
            this.endReason = endReason;
            return this;
        }

        public Builder rating(@Nullable Rating rating) {
            this.rating = rating;
            return this;
        }

        public Builder recorded(boolean recorded) {
            this.recorded = recorded;
            return this;
        }

        public Builder recordingDisabled(boolean recordingDisabled) {
            this.recordingDisabled = recordingDisabled;
            return this;
        }

        /** The call's quality, kept when it ends; only an ended session has one. */
        public Builder quality(@Nullable CallQuality quality) {
            this.quality = quality;
            return this;
        }

        public Session build() {
            return new Session(id, title, description, customerId, customerName, agentId, agentName, status,
                    onHold, createdAt, acceptedAt, endedAt, endReason, rating, recorded, recordingDisabled, quality);
        }
    }
}
