/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition until it holds, for integration tests that wait on state rather than on fixed sleeps. */
final class Await {

    private Await() {
    }

    /** Waits until {@code condition} holds, polling every 50 ms; fails naming {@code what} after {@code timeout}. */
    static void until(String what, BooleanSupplier condition, Duration timeout) {
        until(what, condition, timeout, Duration.ofMillis(50));
    }

    /** Waits until {@code condition} holds, polling every {@code poll}; fails naming {@code what} after it. */
    static void until(String what, BooleanSupplier condition, Duration timeout, Duration poll) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            try {
                Thread.sleep(poll.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }
}
