/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.metrics;

import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/** {@link Meters#none()}: every meter is a shared no-op. */
final class NoMeters implements Meters, Counter, Histogram {

    static final NoMeters INSTANCE = new NoMeters();

    private NoMeters() {
    }

    @Override
    public Counter counter(String name, String help, Tags tags) {
        return this;
    }

    @Override
    public MeterRegistration functionCounter(String name, String help, Tags tags, LongSupplier total) {
        return this;
    }

    @Override
    public MeterRegistration gauge(String name, String help, Tags tags, DoubleSupplier value) {
        return this;
    }

    @Override
    public Histogram histogram(String name, String help, Tags tags, double... buckets) {
        return this;
    }

    @Override
    public void add(long n) {
    }

    @Override
    public void record(double value) {
    }

    @Override
    public void remove() {
    }
}
