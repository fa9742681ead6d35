/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.metrics;

import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Where cskit records its metrics: a small facade an embedder binds to its own registry (Micrometer, a Prometheus
 * client, OpenTelemetry, ...). The host hands it to the plugin with
 * {@link dev.cskit.api.PluginContext.Builder#meters}; without one nothing is recorded ({@link #none()}).
 *
 * <p><b>Names</b> are Prometheus base names: lower snake case with the {@code cskit_} prefix and the unit last
 * ({@code cskit_call_duration_seconds}, {@code cskit_media_bytes_received}). A counter's name has no {@code _total}
 * suffix: the exposition format adds it. Each name is registered with one kind and one set of tag keys.
 *
 * <p>Hot paths never call the facade: what is counted per packet stays in the owner's plain counters, and the
 * registry reads them through {@link #gauge} and {@link #functionCounter} when it is scraped.
 *
 * <p><b>Threading:</b> every method is thread-safe. Registering may lock and allocate; cskit registers when it
 * starts and {@linkplain MeterRegistration#remove() removes} what it registered when it stops. The suppliers of
 * gauges and function counters are called on the thread that reads the registry (a scrape): they may take short
 * locks, must not block on I/O and must not throw.
 */
public interface Meters {

    /** A counter cskit increments ({@code name} without {@code _total}). */
    Counter counter(String name, String help, Tags tags);

    /**
     * A counter whose total an owner keeps and the registry reads when it is scraped; {@code total} never goes
     * down.
     */
    MeterRegistration functionCounter(String name, String help, Tags tags, LongSupplier total);

    /** A value that goes up and down, read when the registry is scraped. */
    MeterRegistration gauge(String name, String help, Tags tags, DoubleSupplier value);

    /**
     * A histogram with these bucket upper bounds (ascending; the {@code +Inf} bucket is implied), in the unit of
     * the name.
     */
    Histogram histogram(String name, String help, Tags tags, double... buckets);

    /** Records nothing: the default when the host gives no registry. */
    static Meters none() {
        return NoMeters.INSTANCE;
    }
}
