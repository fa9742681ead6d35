/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.session;

import dev.cskit.api.Ids;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.session.EndReason;
import dev.cskit.api.session.Rating;
import dev.cskit.api.session.Session;
import dev.cskit.api.session.SessionStatus;
import dev.cskit.core.session.SessionException.Kind;
import java.time.Instant;

/**
 * The rules of a session's life ({@code Waiting → Active → Ended}): for each transition, the new version of
 * a session, or the {@link SessionException} that refuses it. Pure functions of the current version, the
 * arguments and the time; {@link SessionManager} applies them under the session's lock, stores the result
 * and announces it. Stateless.
 */
final class SessionRules {

    private SessionRules() {
    }

    /** A trimmed name (title, customer name, agent id or name) of 1 to {@value SessionManager#MAX_NAME_LENGTH} characters. */
    static String name(String field, @Nullable String value) {
        if (value == null || value.isBlank()) {
            throw new SessionException(Kind.INVALID, field + " is required and must not be blank");
        }
        String v = value.trim();
        if (v.length() > SessionManager.MAX_NAME_LENGTH) {
            throw new SessionException(Kind.INVALID, field + " must be at most " + SessionManager.MAX_NAME_LENGTH
                    + " characters, was " + v.length());
        }
        return v;
    }

    /** A trimmed id ({@link Ids}: 1 to 64 of {@code A-Z a-z 0-9 _ -}). */
    static String id(String field, @Nullable String value) {
        String v = value == null ? null : value.strip(); // whitespace only: trim() would also eat control characters
        if (!Ids.isValid(v)) {
            throw new SessionException(Kind.INVALID, Ids.problem(field, value));
        }
        return v;
    }

    /** A trimmed description of at most {@value SessionManager#MAX_DESCRIPTION_LENGTH} characters, empty if none. */
    static String description(@Nullable String description) {
        String d = description == null ? "" : description.trim();
        if (d.length() > SessionManager.MAX_DESCRIPTION_LENGTH) {
            throw new SessionException(Kind.INVALID, "description must be at most "
                    + SessionManager.MAX_DESCRIPTION_LENGTH + " characters, was " + d.length());
        }
        return d;
    }

    static Session close(Session s, Instant now) {
        if (s.isEnded()) {
            throw conflict(s, "only Waiting or Active sessions can be closed");
        }
        return ended(s, EndReason.CLOSED, now);
    }

    static Session assign(Session s, String agentId, String agentName) {
        if (s.status() == SessionStatus.ACTIVE) {
            throw conflict(s, "use transfer to hand an active call to another agent");
        }
        if (s.status() != SessionStatus.WAITING) {
            throw conflict(s, "only Waiting sessions can be assigned");
        }
        return s.toBuilder().agent(agentId, agentName).build();
    }

    static Session accept(Session s, String agentId, Instant now) {
        if (s.status() != SessionStatus.WAITING) {
            throw conflict(s, "only Waiting sessions can be accepted");
        }
        if (s.agentId() == null) {
            throw new SessionException(Kind.CONFLICT, "session " + s.id()
                    + " has no agent assigned; assign an agent before accepting");
        }
        if (!s.agentId().equals(agentId)) {
            throw new SessionException(Kind.FORBIDDEN, "user " + agentId + " is not the agent assigned to session "
                    + s.id() + "; only " + s.agentId() + " can accept it");
        }
        return s.toBuilder().status(SessionStatus.ACTIVE).acceptedAt(now).build();
    }

    static Session take(Session s, String agentId, String agentName, Instant now) {
        if (s.status() != SessionStatus.WAITING) {
            throw conflict(s, "only Waiting sessions can be taken");
        }
        if (s.agentId() != null && !s.agentId().equals(agentId)) {
            throw new SessionException(Kind.CONFLICT, "session " + s.id() + " was assigned to " + s.agentId()
                    + " meanwhile");
        }
        return s.toBuilder().agent(agentId, agentName).status(SessionStatus.ACTIVE).acceptedAt(now).build();
    }

    /** A party hangs up: {@code customer_hangup} or {@code agent_hangup} by who the user is. */
    static Session hangUp(Session s, String byUserId, Instant now) {
        if (s.isEnded()) {
            throw conflict(s, "only Waiting or Active sessions can be ended");
        }
        EndReason reason;
        if (byUserId.equals(s.customerId())) {
            reason = EndReason.CUSTOMER_HANGUP;
        } else if (byUserId.equals(s.agentId())) {
            reason = EndReason.AGENT_HANGUP;
        } else {
            throw new SessionException(Kind.FORBIDDEN, "user " + byUserId + " is not a party of session "
                    + s.id() + "; only its customer or assigned agent can end it");
        }
        return ended(s, reason, now);
    }

    static Session end(Session s, EndReason reason, Instant now) {
        if (s.isEnded()) {
            throw conflict(s, "only Waiting or Active sessions can be ended");
        }
        return ended(s, reason, now);
    }

    /** Ends an Active call (shutdown); anything else is a conflict. */
    static Session endActive(Session s, EndReason reason, Instant now) {
        if (s.status() != SessionStatus.ACTIVE) {
            throw conflict(s, "only Active calls are ended at shutdown");
        }
        return ended(s, reason, now);
    }

    static Session transfer(Session s, @Nullable String byAgentId, String toAgentId, String toAgentName) {
        if (s.status() != SessionStatus.ACTIVE) {
            throw conflict(s, "only Active calls can be transferred"
                    + (s.status() == SessionStatus.WAITING ? " (use assign for a Waiting session)" : ""));
        }
        requireAgent(s, byAgentId, "transfer");
        if (toAgentId.equals(s.agentId())) {
            throw new SessionException(Kind.INVALID, "session " + s.id() + " is already with agent " + toAgentId
                    + "; transfer it to another agent");
        }
        return s.toBuilder().agent(toAgentId, toAgentName).onHold(false).build();
    }

    static Session hold(Session s, @Nullable String byAgentId) {
        if (s.status() != SessionStatus.ACTIVE) {
            throw conflict(s, "only Active calls can be put on hold");
        }
        requireAgent(s, byAgentId, "hold");
        if (s.onHold()) {
            throw new SessionException(Kind.CONFLICT, "session " + s.id()
                    + " is already on hold; resume it before holding again");
        }
        return s.toBuilder().onHold(true).build();
    }

    static Session resume(Session s, @Nullable String byAgentId) {
        if (s.status() != SessionStatus.ACTIVE) {
            throw conflict(s, "only Active calls on hold can be resumed");
        }
        requireAgent(s, byAgentId, "resume");
        if (!s.onHold()) {
            throw new SessionException(Kind.CONFLICT, "session " + s.id()
                    + " is not on hold; only a held call can be resumed");
        }
        return s.toBuilder().onHold(false).build();
    }

    /** Checks the stars (1 to 5) and the comment of a rating; returns the trimmed comment. */
    static String ratingComment(int stars, @Nullable String comment) {
        if (stars < 1 || stars > 5) {
            throw new SessionException(Kind.INVALID, "stars must be an integer from 1 to 5, was " + stars);
        }
        String c = comment == null ? "" : comment.trim();
        if (c.length() > Rating.MAX_COMMENT_LENGTH) {
            throw new SessionException(Kind.INVALID, "comment must be at most " + Rating.MAX_COMMENT_LENGTH
                    + " characters, was " + c.length());
        }
        return c;
    }

    static Session rate(Session s, int stars, String comment, Instant now) {
        if (!s.isEnded()) {
            throw conflict(s, "a call can be rated only after it has Ended");
        }
        if (s.rating() != null) {
            throw new SessionException(Kind.CONFLICT, "session " + s.id()
                    + " is rated already; a session can be rated once");
        }
        return s.toBuilder().rating(new Rating(stars, comment, now)).build();
    }

    private static Session ended(Session s, EndReason reason, Instant now) {
        Instant at = now;
        if (s.acceptedAt() != null && at.isBefore(s.acceptedAt())) {
            at = s.acceptedAt(); // a clock stepped back must not give a negative duration
        }
        return s.toBuilder().status(SessionStatus.ENDED).onHold(false).ended(at, reason).build();
    }

    private static void requireAgent(Session s, @Nullable String byAgentId, String what) {
        if (byAgentId != null && !byAgentId.equals(s.agentId())) {
            throw new SessionException(Kind.FORBIDDEN, "user " + byAgentId + " is not the agent assigned to session "
                    + s.id() + "; only " + s.agentId() + " can " + what + " this call");
        }
    }

    private static SessionException conflict(Session s, String what) {
        return new SessionException(Kind.CONFLICT, "session " + s.id() + " is " + s.status().wireName() + "; " + what);
    }
}
