/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api;

import java.util.Objects;

/**
 * An agent who may log in: from the configuration (a seed) or managed at runtime and kept in an
 * {@link AgentStore}.
 *
 * @param id           the agent id, e.g. {@code agent_001}; meets {@link Ids}
 * @param name         the display name, e.g. {@code Agent Wang}
 * @param passwordHash a bcrypt hash ({@code $2a$}/{@code $2b$}/{@code $2y$}); empty if the agent cannot log in
 * @param enabled      whether the agent may log in; a disabled agent's login is refused like a wrong password
 * @param generation   counts the times the agent's logins were revoked (its password changed, or it was
 *                     disabled); a login token of an older generation is refused
 * @param supervisor   whether the agent may monitor other agents' calls and whisper to them
 *                     ({@code POST /customer-service/sessions/{id}/monitor})
 */
public record AgentAccount(String id, String name, String passwordHash, boolean enabled, int generation,
                           boolean supervisor) {

    public AgentAccount {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(passwordHash, "passwordHash");
        Ids.require("agent id", id);
        if (name.isBlank()) {
            throw new IllegalArgumentException("the name of agent " + id + " must not be blank");
        }
        if (generation < 0) {
            throw new IllegalArgumentException("generation must not be negative, was " + generation);
        }
    }

    /** An agent who is not a supervisor. */
    public AgentAccount(String id, String name, String passwordHash, boolean enabled, int generation) {
        this(id, name, passwordHash, enabled, generation, false);
    }

    /** An enabled agent of generation 0, not a supervisor, as the configuration gives it. */
    public AgentAccount(String id, String name, String passwordHash) {
        this(id, name, passwordHash, true, 0);
    }

    /** This agent with another display name. */
    public AgentAccount withName(String newName) {
        return new AgentAccount(id, newName, passwordHash, enabled, generation, supervisor);
    }

    /**
     * This agent made a supervisor or not. Its logins stay; a monitor token is checked against the role each time it
     * is used, so taking the role away ends the monitor tokens the agent got.
     */
    public AgentAccount withSupervisor(boolean on) {
        return new AgentAccount(id, name, passwordHash, enabled, generation, on);
    }

    /** This agent with a new password hash; its earlier logins are revoked (the generation moves on). */
    public AgentAccount withPasswordHash(String newHash) {
        return new AgentAccount(id, name, newHash, enabled, generation + 1, supervisor);
    }

    /** This agent enabled or disabled; disabling revokes its logins (the generation moves on). */
    public AgentAccount withEnabled(boolean on) {
        if (on == enabled) {
            return this;
        }
        return new AgentAccount(id, name, passwordHash, on, on ? generation : generation + 1, supervisor);
    }

    @Override
    public String toString() {
        return "AgentAccount[id=" + id + ", name=" + name + ", enabled=" + enabled + ", supervisor=" + supervisor + "]";
    }
}
