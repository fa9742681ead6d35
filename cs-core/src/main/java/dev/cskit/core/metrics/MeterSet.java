/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.metrics;

import dev.cskit.api.metrics.Counter;
import dev.cskit.api.metrics.Histogram;
import dev.cskit.api.metrics.MeterRegistration;
import dev.cskit.api.metrics.Meters;
import dev.cskit.api.metrics.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * The meters one plugin start registered with the host's {@link Meters}, so {@link #removeAll()} takes every one
 * of them out again when it stops. Thread-safe.
 */
public final class MeterSet {

    private final Meters meters;
    private final List<MeterRegistration> registered = new ArrayList<>(); // guarded by this

    public MeterSet(Meters meters) {
        this.meters = Objects.requireNonNull(meters, "meters");
    }

    public Counter counter(String name, String help, Tags tags) {
        return keep(meters.counter(name, help, tags));
    }

    public MeterRegistration functionCounter(String name, String help, Tags tags, LongSupplier total) {
        return keep(meters.functionCounter(name, help, tags, total));
    }

    public MeterRegistration gauge(String name, String help, Tags tags, DoubleSupplier value) {
        return keep(meters.gauge(name, help, tags, value));
    }

    public Histogram histogram(String name, String help, Tags tags, double... buckets) {
        return keep(meters.histogram(name, help, tags, buckets));
    }

    private synchronized <M extends MeterRegistration> M keep(M m) {
        registered.add(m);
        return m;
    }

    /** Removes every meter registered through this set. */
    public void removeAll() {
        List<MeterRegistration> all;
        synchronized (this) {
            all = new ArrayList<>(registered);
            registered.clear();
        }
        all.forEach(MeterRegistration::remove);
    }
}
