/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.auth;

import dev.cskit.api.AgentAccount;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Agent login: throttling ({@link LoginThrottle}), then one password check on the CPU executor
 * ({@link PasswordWork}), the same for every id: a known agent's password is checked against its hash; an
 * unknown agent, one without a password and a disabled one are all checked too (against a dummy hash of the same
 * cost, or against its own) and refused alike, so neither the answer nor its time tells which ids exist or
 * which are disabled. Thread-safe.
 */
public final class LoginService {

    /** How a login ended. */
    public sealed interface Outcome permits Success, Refused, Throttled, Busy {
    }

    /** The password matched an enabled agent. */
    public record Success(AgentAccount agent) implements Outcome {
    }

    /** Unknown agent, wrong password or disabled agent: the caller cannot tell which. */
    public record Refused() implements Outcome {
    }

    /** Too many failed logins for this agent or from this address: wait {@code retryAfter}. */
    public record Throttled(Duration retryAfter) implements Outcome {
    }

    /** The server's password checks are all taken: retry in a second. */
    public record Busy(String message) implements Outcome {
    }

    private final AgentDirectory directory;
    private final PasswordWork work;
    private final LoginThrottle throttle;

    public LoginService(AgentDirectory directory, PasswordWork work, LoginThrottle throttle) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.work = Objects.requireNonNull(work, "work");
        this.throttle = Objects.requireNonNull(throttle, "throttle");
    }

    /**
     * Checks a login; completes on the CPU executor (or at once when throttled or busy). Never completes
     * exceptionally for bad input.
     *
     * @param clientAddress the address the request came from, for the per-address throttle
     */
    public CompletionStage<Outcome> login(String agentId, char[] password, String clientAddress) {
        if (throttle.begin(agentId, clientAddress) instanceof LoginThrottle.Throttled t) {
            return CompletableFuture.completedFuture(new Throttled(t.retryAfter()));
        }
        AgentAccount known = directory.find(agentId).orElse(null);
        String hash = known != null && !known.passwordHash().isEmpty() ? known.passwordHash() : null;
        String sample = directory.sampleHash();
        // The dummy hash is made (once per cost) on the CPU executor too, never on the caller's thread.
        return work.matches(() -> hash != null ? hash : work.hasher().dummyHash(sample), password)
                .handle((matched, error) -> finish(agentId, clientAddress, hash, matched, error));
    }

    private Outcome finish(String agentId, String clientAddress, String hash, Boolean matched, Throwable error) {
        if (error != null) {
            throttle.abandoned(agentId, clientAddress);
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof PasswordWork.Busy busy) {
                return new Busy(busy.getMessage());
            }
            throw new CompletionException(cause);
        }
        // Read again: an agent disabled or reset while its password was checked does not get in.
        AgentAccount now = directory.find(agentId).orElse(null);
        if (matched && hash != null && now != null && now.enabled() && now.passwordHash().equals(hash)) {
            throttle.succeeded(agentId, clientAddress);
            return new Success(now);
        }
        throttle.failed(agentId, clientAddress);
        return new Refused();
    }
}
