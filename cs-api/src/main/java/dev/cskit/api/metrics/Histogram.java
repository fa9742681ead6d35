/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.metrics;

/**
 * A distribution of observed values with fixed bucket bounds (a Prometheus histogram: a count per bucket, the
 * sum and the count). Values are in the unit the meter's name ends with (seconds for {@code _seconds}).
 * Thread-safe; {@link #record} must not block, must not throw and should not allocate.
 */
public interface Histogram extends MeterRegistration {

    /** Observes one value. */
    void record(double value);

    /** Observes a duration given in nanoseconds, as seconds. */
    default void recordNanos(long nanos) {
        record(nanos / 1e9);
    }
}
