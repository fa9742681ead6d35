/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.core.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The back-off of {@link LoginThrottle}, on a manual clock. */
class LoginThrottleTest {

    private final MutableClock clock = new MutableClock();
    private final LoginThrottle throttle = new LoginThrottle(clock);

    private LoginThrottle.Decision failOnce(String agent, String address) {
        LoginThrottle.Decision d = throttle.begin(agent, address);
        if (d instanceof LoginThrottle.Allowed) {
            throttle.failed(agent, address);
        }
        return d;
    }

    private Duration retryAfter(LoginThrottle.Decision d) {
        return assertInstanceOf(LoginThrottle.Throttled.class, d).retryAfter();
    }

    @Test
    void fiveFailuresThenBlocksDoublingUpToTheCap() {
        for (int i = 0; i < 5; i++) {
            assertInstanceOf(LoginThrottle.Allowed.class, failOnce("agent_001", "10.0.0.1"), "failure " + (i + 1));
        }
        assertEquals(Duration.ofSeconds(1), retryAfter(throttle.begin("agent_001", "10.0.0.1")));
        clock.advance(Duration.ofSeconds(1));
        failOnce("agent_001", "10.0.0.1"); // the sixth
        assertEquals(Duration.ofSeconds(2), retryAfter(throttle.begin("agent_001", "10.0.0.1")));
        clock.advance(Duration.ofSeconds(2));
        failOnce("agent_001", "10.0.0.1");
        assertEquals(Duration.ofSeconds(4), retryAfter(throttle.begin("agent_001", "10.0.0.1")));
        for (int i = 0; i < 12; i++) { // each wait sat out, then one more failure from another address
            clock.advance(retryAfter(throttle.begin("agent_001", "10.0." + i + ".9")));
            assertInstanceOf(LoginThrottle.Allowed.class, failOnce("agent_001", "10.0." + i + ".9"));
        }
        assertEquals(Duration.ofMinutes(15), retryAfter(throttle.begin("agent_001", "10.9.9.9")));
        clock.advance(Duration.ofMinutes(15)); // the longest block is over, but the agent is not forgiven yet
        assertInstanceOf(LoginThrottle.Allowed.class, failOnce("agent_001", "10.9.9.9"));
        assertEquals(Duration.ofMinutes(15), retryAfter(throttle.begin("agent_001", "10.9.9.9")));
    }

    @Test
    void anotherAgentFromAnotherAddressIsNotSlowedDown() {
        for (int i = 0; i < 6; i++) {
            failOnce("agent_001", "10.0.0.1");
        }
        assertInstanceOf(LoginThrottle.Throttled.class, throttle.begin("agent_001", "10.0.0.1"));
        assertInstanceOf(LoginThrottle.Allowed.class, throttle.begin("agent_002", "10.0.0.2"));
    }

    @Test
    void rotatingAgentIdsIsStoppedByTheAddress() {
        for (int i = 0; i < 20; i++) {
            assertInstanceOf(LoginThrottle.Allowed.class, failOnce("guess_" + i, "10.0.0.1"));
        }
        assertTrue(retryAfter(throttle.begin("guess_99", "10.0.0.1")).toSeconds() >= 1);
        assertInstanceOf(LoginThrottle.Allowed.class, throttle.begin("guess_99", "10.0.0.2"));
    }

    @Test
    void aSuccessClearsTheAgentButNotTheAddress() {
        for (int i = 0; i < 4; i++) {
            failOnce("agent_001", "10.0.0.1");
        }
        assertInstanceOf(LoginThrottle.Allowed.class, throttle.begin("agent_001", "10.0.0.1"));
        throttle.succeeded("agent_001", "10.0.0.1");
        for (int i = 0; i < 4; i++) {
            assertInstanceOf(LoginThrottle.Allowed.class, failOnce("agent_001", "10.0.0.3"));
        }
        // The address keeps its four failures: sixteen more fit, then it blocks.
        for (int i = 0; i < 16; i++) {
            assertInstanceOf(LoginThrottle.Allowed.class, failOnce("other_" + i, "10.0.0.1"));
        }
        assertInstanceOf(LoginThrottle.Throttled.class, throttle.begin("another", "10.0.0.1"));
    }

    @Test
    void parallelAttemptsGetNoMoreChecksThanTheBudget() {
        int allowed = 0;
        for (int i = 0; i < 100; i++) { // a burst: none has failed yet
            if (throttle.begin("agent_001", "10.0.0." + i) instanceof LoginThrottle.Allowed) {
                allowed++;
            }
        }
        assertEquals(5, allowed);
    }

    @Test
    void aQuietKeyStartsAfreshAndMemoryIsBounded() {
        for (int i = 0; i < 5; i++) {
            failOnce("agent_001", "10.0.0.1");
        }
        clock.advance(Duration.ofMinutes(16));
        for (int i = 0; i < 5; i++) {
            assertInstanceOf(LoginThrottle.Allowed.class, failOnce("agent_001", "10.0.0.1"));
        }
        LoginThrottle small = new LoginThrottle(clock, LoginThrottle.PER_AGENT, LoginThrottle.PER_ADDRESS, 100);
        for (int i = 0; i < 10_000; i++) {
            small.begin("id_" + i, "addr_" + i);
        }
        assertEquals(200, small.size());
    }
}
