/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.auth;

import dev.cskit.api.AgentAccount;
import dev.cskit.api.AgentStore;
import dev.cskit.api.Ids;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.core.session.InMemoryAgentStore;
import dev.cskit.core.session.SessionException;
import dev.cskit.core.session.SessionException.Kind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The owner of the agent accounts: the configuration's agents (seeds) overlaid by what the {@link AgentStore}
 * holds (agents added, changed or removed at runtime win over a seed of the same id). Every change is written to
 * the store before it is visible, then announced to the {@link Listener}s; a change the store refuses is not
 * made ({@link Kind#UNAVAILABLE}).
 *
 * <p><b>Threading:</b> thread-safe. Reads take no lock. Changes are serialized by one lock, held across the store
 * write (which may block on disk) and the announcement, so listeners hear changes in order; a listener must not
 * change agents itself.
 */
public final class AgentDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(AgentDirectory.class);

    /** Longest agent name, in characters. */
    public static final int MAX_NAME_LENGTH = 200;

    /** Hears every change of an agent account, in order, on the thread that made it. */
    @FunctionalInterface
    public interface Listener {
        /**
         * @param before the account before, or {@code null} if it was added
         * @param after  the account after, or {@code null} if it was removed
         */
        void changed(@Nullable AgentAccount before, @Nullable AgentAccount after);
    }

    private final AgentStore store;
    private final Object writeLock = new Object();
    private volatile Map<String, AgentAccount> agents; // replaced whole under writeLock: reads see one version
    private final boolean storeWasEmpty;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    /** Seeds only, kept in memory (changes are lost on restart). */
    public AgentDirectory(List<AgentAccount> seeds) {
        this(seeds, new InMemoryAgentStore(), new AgentStore.Contents(List.of(), java.util.Set.of()));
    }

    private AgentDirectory(List<AgentAccount> seeds, AgentStore store, AgentStore.Contents stored) {
        this.store = Objects.requireNonNull(store, "store");
        Map<String, AgentAccount> m = new LinkedHashMap<>();
        for (AgentAccount a : seeds) {
            if (m.putIfAbsent(a.id(), a) != null) {
                throw new IllegalArgumentException("agent id " + a.id() + " is configured twice");
            }
        }
        stored.removed().forEach(m::remove);
        for (AgentAccount a : stored.agents()) {
            m.put(a.id(), a); // a seed keeps its place, a new agent goes last
        }
        this.agents = m;
        this.storeWasEmpty = stored.isEmpty();
    }

    /**
     * The seeds overlaid by what {@code store} holds (it is loaded here).
     *
     * @throws IOException if the store cannot be read
     */
    public static AgentDirectory open(List<AgentAccount> seeds, AgentStore store) throws IOException {
        return new AgentDirectory(seeds, store, store.load());
    }

    /** Whether the store held nothing at all when opened (no agent ever added or removed at runtime). */
    public boolean storeWasEmpty() {
        return storeWasEmpty;
    }

    public void addListener(Listener l) {
        listeners.add(Objects.requireNonNull(l, "listener"));
    }

    // ---------------------------------------------------------------- reads

    /** Every agent, seeds first in configuration order, then agents added at runtime. */
    public List<AgentAccount> all() {
        return List.copyOf(agents.values());
    }

    public Optional<AgentAccount> find(String agentId) {
        return Optional.ofNullable(agents.get(agentId));
    }

    /** Whether an agent login token is still good: its agent exists, is enabled and of the token's generation. */
    public boolean accepts(TokenPrincipal.Agent token) {
        AgentAccount a = agents.get(token.agentId());
        return a != null && a.enabled() && a.generation() == token.generation();
    }

    /**
     * The hash of some agent who can log in, or {@code null}: a login for an unknown agent checks the password
     * against a dummy hash of the same cost ({@link PasswordHasher#dummyHash}).
     */
    public @Nullable String sampleHash() {
        for (AgentAccount a : agents.values()) {
            if (!a.passwordHash().isEmpty()) {
                return a.passwordHash();
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- changes

    /**
     * Adds an agent.
     *
     * @throws SessionException {@link Kind#CONFLICT} if the id exists, {@link Kind#INVALID} for a bad name,
     *                          {@link Kind#UNAVAILABLE} if the store refused it
     */
    public AgentAccount create(AgentAccount account) {
        Objects.requireNonNull(account, "account");
        synchronized (writeLock) {
            if (agents.containsKey(account.id())) {
                throw exists(account.id());
            }
            AgentAccount a = account.withName(name(account.name()));
            write(null, a);
            return a;
        }
    }

    /**
     * Changes an agent: {@code change} gets the current account and returns the new one (same id).
     *
     * @throws SessionException {@link Kind#NOT_FOUND}, {@link Kind#INVALID} for a bad name,
     *                          {@link Kind#UNAVAILABLE} if the store refused it
     */
    public AgentAccount update(String agentId, UnaryOperator<AgentAccount> change) {
        synchronized (writeLock) {
            AgentAccount before = require(agentId);
            AgentAccount after = change.apply(before);
            if (!after.id().equals(agentId)) {
                throw new IllegalArgumentException("an update must keep the agent id " + agentId);
            }
            after = after.name().equals(before.name()) ? after : after.withName(name(after.name()));
            if (after.equals(before)) {
                return before;
            }
            write(before, after);
            return after;
        }
    }

    /**
     * Removes an agent (a seed of its id stays removed).
     *
     * @throws SessionException {@link Kind#NOT_FOUND}, {@link Kind#UNAVAILABLE} if the store refused it
     */
    public AgentAccount remove(String agentId) {
        synchronized (writeLock) {
            AgentAccount before = require(agentId);
            write(before, null);
            return before;
        }
    }

    /** A display name without surrounding white space, 1 to {@value #MAX_NAME_LENGTH} characters, no control characters. */
    public static String name(@Nullable String name) {
        String n = name == null ? "" : name.strip();
        if (n.isEmpty()) {
            throw new SessionException(Kind.INVALID, "an agent's name must not be blank");
        }
        if (n.length() > MAX_NAME_LENGTH) {
            throw new SessionException(Kind.INVALID, "an agent's name must be at most " + MAX_NAME_LENGTH
                    + " characters, was " + n.length());
        }
        if (n.chars().anyMatch(Character::isISOControl)) {
            throw new SessionException(Kind.INVALID, "an agent's name must not contain control characters");
        }
        return n;
    }

    private AgentAccount require(String agentId) {
        if (!Ids.isValid(agentId)) {
            throw new SessionException(Kind.INVALID, Ids.problem("agent id", agentId));
        }
        AgentAccount a = agents.get(agentId);
        if (a == null) {
            throw new SessionException(Kind.NOT_FOUND, "no agent " + agentId
                    + "; list agents with GET /customer-service/agents");
        }
        return a;
    }

    private static SessionException exists(String id) {
        return new SessionException(Kind.CONFLICT, "agent " + id + " exists already; change it with "
                + "PATCH /customer-service/agents/" + id + " or pick another id");
    }

    // under writeLock
    private void write(@Nullable AgentAccount before, @Nullable AgentAccount after) {
        String id = after != null ? after.id() : before.id();
        try {
            if (after != null) {
                store.put(after);
            } else {
                store.remove(id);
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("could not store agent {}", id, e);
            throw new SessionException(Kind.UNAVAILABLE, "the agent store could not record the change to agent " + id
                    + " (" + e.getMessage() + "); nothing was changed, try again later", e);
        }
        Map<String, AgentAccount> m = new LinkedHashMap<>(agents);
        if (after != null) {
            m.put(id, after);
        } else {
            m.remove(id);
        }
        agents = m;
        for (Listener l : new ArrayList<>(listeners)) {
            try {
                l.changed(before, after);
            } catch (RuntimeException e) {
                LOG.error("an agent listener failed on the change of {}", id, e); // the change is made: go on
            }
        }
    }

    /** Closes the store. */
    public void close() throws IOException {
        store.close();
    }
}
