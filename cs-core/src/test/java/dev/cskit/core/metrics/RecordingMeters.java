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
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * A {@link Meters} for tests: keeps every meter by name and tags, reads gauges and function counters on demand as a
 * scrape would, and refuses a second registration of one name and tags (a registry would too).
 */
public final class RecordingMeters implements Meters {

    public record Key(String name, Tags tags) {
    }

    private final Map<Key, DoubleSupplier> readable = new ConcurrentHashMap<>();
    private final Map<Key, List<Double>> histograms = new ConcurrentHashMap<>();
    private final Map<Key, String> kinds = new ConcurrentHashMap<>();

    private Key register(String name, Tags tags, String kind) {
        Key k = new Key(name, tags);
        for (Key other : kinds.keySet()) {
            if (other.name().equals(name) && !kinds.get(other).equals(kind)) {
                throw new IllegalStateException(name + " is registered as " + kinds.get(other) + " and " + kind);
            }
        }
        if (kinds.putIfAbsent(k, kind) != null) {
            throw new IllegalStateException("registered twice: " + k);
        }
        return k;
    }

    @Override
    public Counter counter(String name, String help, Tags tags) {
        Key k = register(name, tags, "counter");
        AtomicLong n = new AtomicLong();
        readable.put(k, n::get);
        return new Counter() {
            @Override
            public void add(long delta) {
                if (delta < 0) {
                    throw new IllegalArgumentException("a counter only grows");
                }
                n.addAndGet(delta);
            }

            @Override
            public void remove() {
                drop(k);
            }
        };
    }

    @Override
    public MeterRegistration functionCounter(String name, String help, Tags tags, LongSupplier total) {
        Key k = register(name, tags, "counter");
        readable.put(k, total::getAsLong);
        return () -> drop(k);
    }

    @Override
    public MeterRegistration gauge(String name, String help, Tags tags, DoubleSupplier value) {
        Key k = register(name, tags, "gauge");
        readable.put(k, value);
        return () -> drop(k);
    }

    @Override
    public Histogram histogram(String name, String help, Tags tags, double... buckets) {
        for (int i = 1; i < buckets.length; i++) {
            if (buckets[i] <= buckets[i - 1]) {
                throw new IllegalArgumentException("buckets must ascend: " + java.util.Arrays.toString(buckets));
            }
        }
        Key k = register(name, tags, "histogram");
        List<Double> seen = new CopyOnWriteArrayList<>();
        histograms.put(k, seen);
        return new Histogram() {
            @Override
            public void record(double value) {
                seen.add(value);
            }

            @Override
            public void remove() {
                drop(k);
            }
        };
    }

    private void drop(Key k) {
        readable.remove(k);
        histograms.remove(k);
        kinds.remove(k);
    }

    /** A counter's, function counter's or gauge's value now. */
    public double value(String name, Tags tags) {
        DoubleSupplier s = readable.get(new Key(name, tags));
        if (s == null) {
            throw new AssertionError("no meter " + name + tags + "; have " + names());
        }
        return s.getAsDouble();
    }

    public double value(String name) {
        return value(name, Tags.empty());
    }

    /** What a histogram observed, in order. */
    public List<Double> observed(String name) {
        List<Double> l = histograms.get(new Key(name, Tags.empty()));
        if (l == null) {
            throw new AssertionError("no histogram " + name + "; have " + names());
        }
        return new ArrayList<>(l);
    }

    /** The names of every meter registered now. */
    public Set<String> names() {
        Set<String> s = new TreeSet<>();
        kinds.keySet().forEach(k -> s.add(k.name()));
        return s;
    }
}
