/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import dev.cskit.api.metrics.Counter;
import dev.cskit.api.metrics.Histogram;
import dev.cskit.api.metrics.MeterRegistration;
import dev.cskit.api.metrics.Meters;
import dev.cskit.api.metrics.Tags;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * cskit's meter facade ({@link Meters}) on a Micrometer {@link MeterRegistry}: counters and function counters
 * become Micrometer counters (the Prometheus registry adds {@code _total}), gauges gauges, histograms distribution
 * summaries whose service-level objectives are the buckets (exported as a Prometheus histogram). The suppliers are
 * held strongly until their meter is removed (Micrometer holds them weakly). Thread-safe.
 */
public final class MicrometerMeters implements Meters {

    private final MeterRegistry registry;
    /** The suppliers of the registered gauges and function counters, so they live as long as their meter. */
    private final Set<Object> held = ConcurrentHashMap.newKeySet();

    public MicrometerMeters(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public Counter counter(String name, String help, Tags tags) {
        io.micrometer.core.instrument.Counter c = io.micrometer.core.instrument.Counter.builder(name)
                .description(help).tags(tags(tags)).register(registry);
        return new Counter() {
            @Override
            public void add(long n) {
                c.increment(n);
            }

            @Override
            public void remove() {
                registry.remove(c);
            }
        };
    }

    @Override
    public MeterRegistration functionCounter(String name, String help, Tags tags, LongSupplier total) {
        Objects.requireNonNull(total, "total");
        held.add(total);
        FunctionCounter c = FunctionCounter.builder(name, total, LongSupplier::getAsLong)
                .description(help).tags(tags(tags)).register(registry);
        return registration(c, total);
    }

    @Override
    public MeterRegistration gauge(String name, String help, Tags tags, DoubleSupplier value) {
        Objects.requireNonNull(value, "value");
        held.add(value);
        Gauge g = Gauge.builder(name, value, DoubleSupplier::getAsDouble)
                .description(help).tags(tags(tags)).strongReference(true).register(registry);
        return registration(g, value);
    }

    @Override
    public Histogram histogram(String name, String help, Tags tags, double... buckets) {
        DistributionSummary s = DistributionSummary.builder(name).description(help).tags(tags(tags))
                .serviceLevelObjectives(buckets.clone()).register(registry);
        return new Histogram() {
            @Override
            public void record(double value) {
                s.record(value);
            }

            @Override
            public void remove() {
                registry.remove(s);
            }
        };
    }

    private MeterRegistration registration(Meter m, Object supplier) {
        return () -> {
            registry.remove(m);
            held.remove(supplier);
        };
    }

    private static List<Tag> tags(Tags tags) {
        List<Tag> out = new ArrayList<>(tags.asMap().size());
        for (Map.Entry<String, String> e : tags.asMap().entrySet()) {
            out.add(Tag.of(e.getKey(), e.getValue()));
        }
        return out;
    }
}
