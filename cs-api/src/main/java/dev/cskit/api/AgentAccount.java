/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api;

import java.util.Objects;

/**
 * An agent who may log in, from the configuration.
 *
 * @param id           the agent id, e.g. {@code agent_001}
 * @param name         the display name, e.g. {@code Agent Wang}
 * @param passwordHash a bcrypt hash ({@code $2a$}/{@code $2b$}/{@code $2y$}); empty if the agent cannot log in
 */
public record AgentAccount(String id, String name, String passwordHash) {
    public AgentAccount {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(passwordHash, "passwordHash");
        if (id.isBlank()) {
            throw new IllegalArgumentException("agent id must not be blank");
        }
    }

    @Override
    public String toString() {
        return "AgentAccount[id=" + id + ", name=" + name + "]";
    }
}
