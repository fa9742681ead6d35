/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.api.AgentAccount;
import dev.cskit.core.MutableClock;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/** Password work is bounded: beyond the bound, or when the host's pool refuses, a login is answered busy at once. */
class PasswordWorkTest {

    /** A pool that runs nothing until the test says so. */
    private static final class HeldPool implements Executor {
        final Queue<Runnable> held = new ArrayDeque<>();

        @Override
        public void execute(Runnable r) {
            held.add(r);
        }

        void runAll() {
            Runnable r;
            while ((r = held.poll()) != null) {
                r.run();
            }
        }
    }

    private final CountingHasher hasher = new CountingHasher();
    private final AgentDirectory directory = new AgentDirectory(List.of(
            new AgentAccount("agent_001", "Wang", new BcryptHasher(4).hash("secret".toCharArray()))));

    @Test
    void beyondTheBoundALoginIsBusyAtOnceAndCountsNeitherWay() {
        HeldPool pool = new HeldPool();
        LoginService logins = new LoginService(directory, new PasswordWork(hasher, pool, 2),
                new LoginThrottle(new MutableClock()));
        CompletionStage<LoginService.Outcome> a = logins.login("agent_001", "x".toCharArray(), "10.0.0.1");
        CompletionStage<LoginService.Outcome> b = logins.login("agent_002", "x".toCharArray(), "10.0.0.2");
        LoginService.Outcome c = logins.login("agent_003", "x".toCharArray(), "10.0.0.3").toCompletableFuture().join();
        assertInstanceOf(LoginService.Busy.class, c);
        assertTrue(((LoginService.Busy) c).message().contains("retry"), c.toString());
        assertEquals(2, pool.held.size());
        pool.runAll();
        assertInstanceOf(LoginService.Refused.class, a.toCompletableFuture().join());
        assertInstanceOf(LoginService.Refused.class, b.toCompletableFuture().join());
        // The slots are free again, and the busy answer spent no budget of agent_003.
        assertInstanceOf(LoginService.Success.class, login(logins, pool, "agent_001", "secret"));
    }

    @Test
    void aPoolThatRefusesMakesTheLoginBusy() {
        Executor refusing = r -> {
            throw new RejectedExecutionException("full");
        };
        LoginService logins = new LoginService(directory, new PasswordWork(hasher, refusing, 32),
                new LoginThrottle(new MutableClock()));
        for (int i = 0; i < 40; i++) { // more than any throttle budget: an unchecked attempt is no failure
            assertInstanceOf(LoginService.Busy.class,
                    logins.login("agent_001", "x".toCharArray(), "10.0.0.1").toCompletableFuture().join());
        }
        assertEquals(0, hasher.checks());
    }

    private static LoginService.Outcome login(LoginService logins, HeldPool pool, String id, String password) {
        CompletionStage<LoginService.Outcome> s = logins.login(id, password.toCharArray(), "10.0.0.9");
        pool.runAll();
        return s.toCompletableFuture().join();
    }
}
