/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.auth;

import dev.cskit.api.annotation.Nullable;
import java.time.Instant;
import java.util.Objects;

/** Who a valid token speaks for. */
public sealed interface TokenPrincipal permits TokenPrincipal.Link, TokenPrincipal.Agent, TokenPrincipal.Monitor {

    /** When the token stops being valid. */
    Instant expiresAt();

    /**
     * A link token: a party of one session.
     *
     * @param sessionId the session it is scoped to
     * @param role      customer or agent
     * @param subject   the user id it was issued for (the customer id; the agent id if an agent was assigned
     *                  when it was issued), or {@code null} for any assigned agent
     * @param expiresAt when it expires
     */
    record Link(String sessionId, LinkRole role, @Nullable String subject, Instant expiresAt) implements TokenPrincipal {
        public Link {
            Objects.requireNonNull(sessionId, "sessionId");
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }
    }

    /**
     * An agent login token: an agent, for any session assigned to them.
     *
     * @param agentId    the agent who logged in
     * @param generation the agent's {@link dev.cskit.api.AgentAccount#generation()} when it logged in
     * @param expiresAt  when it expires
     */
    record Agent(String agentId, int generation, Instant expiresAt) implements TokenPrincipal {
        public Agent {
            Objects.requireNonNull(agentId, "agentId");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }
    }

    /**
     * A monitor token: a supervisor listening to one call (issue 16). It is no party of the session: it may play the
     * session's parties' streams and publish its own whisper only (see {@code dev.cskit.core.media.Monitors}).
     *
     * @param sessionId    the session it is scoped to
     * @param supervisorId the supervisor: a supervisor agent's id, or {@code admin}
     * @param expiresAt    when it expires
     */
    record Monitor(String sessionId, String supervisorId, Instant expiresAt) implements TokenPrincipal {
        public Monitor {
            Objects.requireNonNull(sessionId, "sessionId");
            Objects.requireNonNull(supervisorId, "supervisorId");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }
    }
}
