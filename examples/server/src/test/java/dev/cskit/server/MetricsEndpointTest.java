/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.http.HttpRequest;
import dev.cskit.api.http.HttpResponse;
import dev.cskit.api.metrics.Counter;
import dev.cskit.api.metrics.Histogram;
import dev.cskit.api.metrics.MeterRegistration;
import dev.cskit.api.metrics.Tags;
import dev.cskit.core.auth.AdminGuard;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /metrics} without sockets: who may read it (requests from a non-loopback address are built directly),
 * the formats, and how cskit's facade looks in the exposition.
 */
class MetricsEndpointTest {

    static final String ADMIN = "admin-token-0123456789";
    static final String METRICS = "metrics-token-0123456789";
    static final InetSocketAddress REMOTE = new InetSocketAddress("203.0.113.7", 40000);
    static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 40000);

    final PrometheusMetrics metrics = new PrometheusMetrics();

    @AfterEach
    void close() {
        metrics.close();
    }

    private static HttpResponse get(MetricsEndpoint e, InetSocketAddress from, @Nullable String bearer,
                                    @Nullable String accept) {
        HttpRequest.Builder b = HttpRequest.newBuilder("GET", "/metrics").remoteAddress(from);
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        if (accept != null) {
            b.header("Accept", accept);
        }
        return e.handle(b.build());
    }

    @Test
    void withoutAnAdminTokenLoopbackOrTheMetricsTokenMayRead() {
        MetricsEndpoint e = new MetricsEndpoint(metrics, new AdminGuard(null), METRICS);
        assertEquals(200, get(e, LOCAL, null, null).status());
        HttpResponse remote = get(e, REMOTE, null, null);
        assertEquals(403, remote.status());
        assertTrue(remote.bodyAsString().contains("metrics_token"), remote.bodyAsString());
        assertEquals(403, get(e, REMOTE, "wrong-token-0123456789", null).status());
        assertEquals(200, get(e, REMOTE, METRICS, null).status());
    }

    @Test
    void withAnAdminTokenTheAdminOrTheMetricsTokenMayReadEvenFromLoopback() {
        MetricsEndpoint e = new MetricsEndpoint(metrics, new AdminGuard(ADMIN), METRICS);
        assertEquals(401, get(e, LOCAL, null, null).status());
        assertEquals(401, get(e, REMOTE, null, null).status());
        assertEquals(403, get(e, REMOTE, "wrong-token-0123456789", null).status());
        assertEquals(200, get(e, REMOTE, ADMIN, null).status());
        assertEquals(200, get(e, REMOTE, METRICS, null).status());
        MetricsEndpoint noMetricsToken = new MetricsEndpoint(metrics, new AdminGuard(ADMIN), null);
        assertEquals(403, get(noMetricsToken, REMOTE, METRICS, null).status(), "no metrics_token configured");
    }

    @Test
    void prometheusTextByDefaultOpenMetricsWhenAsked() {
        MetricsEndpoint e = new MetricsEndpoint(metrics, new AdminGuard(null), null);
        HttpResponse text = get(e, LOCAL, null, "text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
        assertEquals(PrometheusMetrics.TEXT, text.contentType());
        assertFalse(text.bodyAsString().contains("# EOF"));
        assertTrue(text.bodyAsString().contains("# TYPE jvm_memory_used_bytes gauge"), "JVM binders are bound");
        assertTrue(text.bodyAsString().contains("process_uptime_seconds"), "process binders are bound");

        HttpResponse om = get(e, LOCAL, null,
                "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75");
        assertEquals(PrometheusMetrics.OPENMETRICS, om.contentType());
        assertTrue(om.bodyAsString().endsWith("# EOF\n"), "OpenMetrics ends with # EOF");
    }

    @Test
    void theFacadeFollowsPrometheusConventionsAndRemovedMetersLeave() {
        Counter rings = metrics.meters().counter("cskit_rings", "Rings", Tags.empty());
        rings.add(3);
        AtomicLong packets = new AtomicLong(41);
        MeterRegistration fc = metrics.meters().functionCounter("cskit_media_packets_received", "Packets",
                Tags.empty(), packets::get);
        MeterRegistration g = metrics.meters().gauge("cskit_sessions", "Sessions", Tags.of("status", "waiting"),
                () -> 2);
        Histogram h = metrics.meters().histogram("cskit_call_duration_seconds", "Calls", Tags.empty(), 10, 60);
        h.record(42);
        packets.incrementAndGet(); // read when scraped, not when registered
        System.gc(); // the facade's suppliers must survive: Micrometer holds function counters weakly

        String text = metrics.scrape(PrometheusMetrics.TEXT);
        assertTrue(text.contains("# TYPE cskit_rings_total counter\ncskit_rings_total 3.0"), text);
        assertTrue(text.contains("cskit_media_packets_received_total 42.0"), text);
        assertTrue(text.contains("cskit_sessions{status=\"waiting\"} 2.0"), text);
        assertTrue(text.contains("# TYPE cskit_call_duration_seconds histogram"), text);
        assertTrue(text.contains("cskit_call_duration_seconds_bucket{le=\"10.0\"} 0"), text);
        assertTrue(text.contains("cskit_call_duration_seconds_bucket{le=\"60.0\"} 1"), text);
        assertTrue(text.contains("cskit_call_duration_seconds_sum 42.0"), text);

        rings.remove();
        fc.remove();
        g.remove();
        h.remove();
        String after = metrics.scrape(PrometheusMetrics.TEXT);
        assertFalse(after.contains("cskit_"), after);
    }
}
