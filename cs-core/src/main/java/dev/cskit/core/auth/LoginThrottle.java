/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Slows down password guessing, per agent id and per client address, with exponential back-off.
 *
 * <p>Each key (an agent id; a client address) has a budget of failed logins ({@link Policy#freeFailures}).
 * The failure that uses it up, and each one after it, blocks the key for {@link Policy#firstBlock}, doubling
 * with each further failure up to {@link Policy#maxBlock}. While a key is blocked, attempts are answered at
 * once (429 with {@code Retry-After}) without a password check. Attempts in flight count against the budget,
 * so a burst of parallel guesses gets no more checks than a sequence would. A success clears its agent id (not
 * its address: one good account must not reset a guesser's budget); a key with neither a failure nor a block for
 * {@link Policy#forgetAfter} starts afresh. Unknown agent ids are throttled exactly like known ones.
 *
 * <p>Memory is bounded: at most {@code maxKeys} keys of each kind are kept, the least recently used dropped
 * first. Time comes from the host clock. Thread-safe (one monitor; every call is short).
 */
public final class LoginThrottle {

    /**
     * How one kind of key is throttled.
     *
     * @param freeFailures failed logins before the first block
     * @param firstBlock   the first block; each further failure doubles it
     * @param maxBlock     the longest block
     * @param forgetAfter  a key with no failure for this long starts afresh
     */
    public record Policy(int freeFailures, Duration firstBlock, Duration maxBlock, Duration forgetAfter) {
        public Policy {
            if (freeFailures < 1) {
                throw new IllegalArgumentException("freeFailures must be at least 1, was " + freeFailures);
            }
            Objects.requireNonNull(firstBlock, "firstBlock");
            Objects.requireNonNull(maxBlock, "maxBlock");
            Objects.requireNonNull(forgetAfter, "forgetAfter");
            if (firstBlock.isNegative() || firstBlock.isZero() || maxBlock.compareTo(firstBlock) < 0) {
                throw new IllegalArgumentException("need 0 < firstBlock <= maxBlock");
            }
        }
    }

    /** Per agent id: 5 failures, then 1 s, 2 s, 4 s … up to 15 min; forgotten after 15 quiet minutes. */
    public static final Policy PER_AGENT = new Policy(5, Duration.ofSeconds(1), Duration.ofMinutes(15),
            Duration.ofMinutes(15));
    /** Per client address (several agents may share one): 20 failures, then the same back-off. */
    public static final Policy PER_ADDRESS = new Policy(20, Duration.ofSeconds(1), Duration.ofMinutes(15),
            Duration.ofMinutes(15));
    /** How many keys of each kind are remembered. */
    public static final int DEFAULT_MAX_KEYS = 10_000;

    /** The answer to {@link #begin}: go ahead (the attempt is now in flight), or wait this long. */
    public sealed interface Decision permits Allowed, Throttled {
    }

    /** The attempt may be checked; report its outcome with {@link #succeeded} or {@link #failed}. */
    public record Allowed() implements Decision {
    }

    /** Refused without a check; the client should wait {@code retryAfter} (at least one second). */
    public record Throttled(Duration retryAfter) implements Decision {
    }

    private static final class Key {
        int failures;
        int inFlight;
        Instant lastFailure = Instant.EPOCH;
        Instant blockedUntil = Instant.EPOCH;
    }

    private final Clock clock;
    private final Policy perAgent;
    private final Policy perAddress;
    private final int maxKeys;
    private final Map<String, Key> agents; // guarded by this
    private final Map<String, Key> addresses; // guarded by this

    public LoginThrottle(Clock clock) {
        this(clock, PER_AGENT, PER_ADDRESS, DEFAULT_MAX_KEYS);
    }

    public LoginThrottle(Clock clock, Policy perAgent, Policy perAddress, int maxKeys) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.perAgent = Objects.requireNonNull(perAgent, "perAgent");
        this.perAddress = Objects.requireNonNull(perAddress, "perAddress");
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys must be at least 1, was " + maxKeys);
        }
        this.maxKeys = maxKeys;
        this.agents = lru();
        this.addresses = lru();
    }

    private Map<String, Key> lru() {
        return new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Key> eldest) {
                return size() > maxKeys;
            }
        };
    }

    /** Whether an attempt for {@code agentId} from {@code address} may be checked now; if so it is in flight. */
    public synchronized Decision begin(String agentId, String address) {
        Instant now = clock.instant();
        Key agent = key(agents, agentId, perAgent, now);
        Key addr = key(addresses, address, perAddress, now);
        Duration wait = max(waitFor(agent, perAgent, now), waitFor(addr, perAddress, now));
        if (!wait.isZero()) {
            return new Throttled(wait);
        }
        agent.inFlight++;
        addr.inFlight++;
        return new Allowed();
    }

    /** An allowed attempt found the right password. */
    public synchronized void succeeded(String agentId, String address) {
        agents.remove(agentId);
        Key addr = addresses.get(address);
        if (addr != null) {
            addr.inFlight = Math.max(0, addr.inFlight - 1);
        }
    }

    /** An allowed attempt was wrong (unknown agent, wrong password, disabled agent). */
    public synchronized void failed(String agentId, String address) {
        Instant now = clock.instant();
        fail(key(agents, agentId, perAgent, now), perAgent, now);
        fail(key(addresses, address, perAddress, now), perAddress, now);
    }

    /** An allowed attempt was never checked (the server was busy): it counts neither way. */
    public synchronized void abandoned(String agentId, String address) {
        release(agents.get(agentId));
        release(addresses.get(address));
    }

    private static void release(Key k) {
        if (k != null) {
            k.inFlight = Math.max(0, k.inFlight - 1);
        }
    }

    private static Key key(Map<String, Key> keys, String name, Policy p, Instant now) {
        Key k = keys.computeIfAbsent(name, n -> new Key());
        // Quiet means no failure and no block for forgetAfter: a key at the longest block is not forgiven by it.
        Instant quietSince = k.blockedUntil.isAfter(k.lastFailure) ? k.blockedUntil : k.lastFailure;
        if (k.inFlight == 0 && k.failures > 0 && !now.isBefore(quietSince.plus(p.forgetAfter()))) {
            k.failures = 0;
        }
        return k;
    }

    /** Zero if an attempt may go ahead, else how long to wait (whole seconds, at least one). */
    private static Duration waitFor(Key k, Policy p, Instant now) {
        if (now.isBefore(k.blockedUntil)) {
            return ceilSeconds(Duration.between(now, k.blockedUntil));
        }
        // Attempts in flight may all fail: never let more run than the budget left (one at a time once it is spent).
        int budget = Math.max(1, p.freeFailures() - k.failures);
        return k.inFlight >= budget ? Duration.ofSeconds(1) : Duration.ZERO;
    }

    private static void fail(Key k, Policy p, Instant now) {
        k.inFlight = Math.max(0, k.inFlight - 1);
        k.failures++;
        k.lastFailure = now;
        int over = k.failures - p.freeFailures();
        if (over >= 0) {
            Duration block = p.firstBlock().multipliedBy(1L << Math.min(over, 30));
            if (block.compareTo(p.maxBlock()) > 0 || block.isNegative()) {
                block = p.maxBlock();
            }
            Instant until = now.plus(block);
            if (until.isAfter(k.blockedUntil)) {
                k.blockedUntil = until;
            }
        }
    }

    private static Duration ceilSeconds(Duration d) {
        long s = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
        return Duration.ofSeconds(Math.max(1, s));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** How many keys are remembered (agent ids plus addresses), for tests. */
    synchronized int size() {
        return agents.size() + addresses.size();
    }
}
