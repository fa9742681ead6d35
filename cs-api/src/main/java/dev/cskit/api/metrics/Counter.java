/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.metrics;

/**
 * A monotonic count that cskit increments when something happens. Thread-safe; {@link #increment} and
 * {@link #add} must not block, must not throw and should not allocate.
 */
public interface Counter extends MeterRegistration {

    /** Adds one. */
    default void increment() {
        add(1);
    }

    /** Adds {@code n} (not negative). */
    void add(long n);
}
