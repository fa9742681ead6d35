/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.auth;

import dev.cskit.api.AgentAccount;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * The configured agents and their password check (bcrypt, via BouncyCastle's {@link OpenBSDBCrypt}).
 * Immutable and thread-safe. {@link #login} is deliberately slow (bcrypt); call it on a thread that may block.
 */
public final class AgentDirectory {

    private final Map<String, AgentAccount> agents = new LinkedHashMap<>();

    public AgentDirectory(List<AgentAccount> accounts) {
        for (AgentAccount a : accounts) {
            if (agents.putIfAbsent(a.id(), a) != null) {
                throw new IllegalArgumentException("agent id " + a.id() + " is configured twice");
            }
        }
    }

    public List<AgentAccount> all() {
        return List.copyOf(agents.values());
    }

    public Optional<AgentAccount> find(String agentId) {
        return Optional.ofNullable(agents.get(agentId));
    }

    /**
     * The agent if the password matches the configured bcrypt hash; empty for an unknown agent, an agent
     * without a hash, a malformed hash, or a wrong password (the caller cannot tell which: no user probing).
     */
    public Optional<AgentAccount> login(String agentId, String password) {
        AgentAccount a = agents.get(agentId);
        if (a == null || a.passwordHash().isEmpty()) {
            return Optional.empty();
        }
        try {
            return OpenBSDBCrypt.checkPassword(a.passwordHash(), password.toCharArray()) ? Optional.of(a)
                    : Optional.empty();
        } catch (IllegalArgumentException | org.bouncycastle.crypto.DataLengthException e) {
            return Optional.empty(); // malformed hash in the config, or a password bcrypt cannot take
        }
    }
}
