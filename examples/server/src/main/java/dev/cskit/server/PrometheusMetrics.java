/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import dev.cskit.api.metrics.Meters;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone server's metrics: a Micrometer {@link PrometheusMeterRegistry} with the JVM and process binders
 * (memory, GC, threads, classes, CPU, uptime, file descriptors), and cskit's {@link Meters} bound to it. Scraped
 * in the Prometheus text format, or OpenMetrics when the client asks for it. Thread-safe.
 */
public final class PrometheusMetrics implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PrometheusMetrics.class);

    /** The Prometheus text exposition format, version 0.0.4. */
    public static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
    /** OpenMetrics 1.0.0 text. */
    public static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Meters meters = new MicrometerMeters(registry);
    private final List<MeterBinder> binders = List.of(new JvmMemoryMetrics(), new JvmGcMetrics(),
            new JvmThreadMetrics(), new ClassLoaderMetrics(), new JvmInfoMetrics(), new ProcessorMetrics(),
            new UptimeMetrics(), new FileDescriptorMetrics());

    public PrometheusMetrics() {
        binders.forEach(b -> b.bindTo(registry));
    }

    /** What the host and the plugin record through. */
    public Meters meters() {
        return meters;
    }

    /** The content type answered to a request with this {@code Accept} header: OpenMetrics if it asks for it. */
    public static String negotiate(String accept) {
        return accept.toLowerCase(Locale.ROOT).contains("application/openmetrics-text") ? OPENMETRICS : TEXT;
    }

    /** Every meter, in the format of {@code contentType} ({@link #TEXT} or {@link #OPENMETRICS}). */
    public String scrape(String contentType) {
        return registry.scrape(contentType);
    }

    @Override
    public void close() {
        for (MeterBinder b : binders) {
            if (b instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.debug("closing metrics binder {} failed: {}", b, e.toString());
                }
            }
        }
        registry.close();
    }
}
