/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.http.HttpHandler;
import dev.cskit.api.http.HttpRequest;
import dev.cskit.api.http.HttpResponse;
import dev.cskit.core.auth.AdminGuard;
import dev.cskit.core.web.Envelope;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code GET /metrics}: the {@link PrometheusMetrics} scrape, in OpenMetrics when the {@code Accept} header asks for
 * it and in the Prometheus text format otherwise. Who may read it: a request bearing the {@code metrics_token}
 * ({@code Authorization: Bearer}), or whoever may use the admin endpoints ({@link AdminGuard}: the admin token,
 * or a loopback client while no admin token is set). Others get the admin endpoints' 401/403 envelope.
 * Immutable and thread-safe.
 */
public final class MetricsEndpoint implements HttpHandler {

    public static final String PATH = "/metrics";

    private final PrometheusMetrics metrics;
    private final AdminGuard admin;
    private final byte @Nullable [] metricsToken;

    /**
     * @param admin        the admin endpoints' rule
     * @param metricsToken a token that may read the metrics only, or null
     */
    public MetricsEndpoint(PrometheusMetrics metrics, AdminGuard admin, @Nullable String metricsToken) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.admin = Objects.requireNonNull(admin, "admin");
        this.metricsToken = metricsToken == null ? null : metricsToken.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public HttpResponse handle(HttpRequest request) {
        if (!bearsMetricsToken(request)) {
            Optional<AdminGuard.Refusal> refused = admin.check(request);
            if (refused.isPresent()) {
                String hint = metricsToken == null ? "" : " (or the metrics_token)";
                return Envelope.error(refused.get().status(), refused.get().message() + hint);
            }
        }
        String contentType = PrometheusMetrics.negotiate(request.header("accept").orElse(""));
        return HttpResponse.of(200, contentType, metrics.scrape(contentType).getBytes(StandardCharsets.UTF_8));
    }

    private boolean bearsMetricsToken(HttpRequest request) {
        byte[] want = metricsToken;
        Optional<String> given = request.bearerToken();
        return want != null && given.isPresent()
                && MessageDigest.isEqual(want, given.get().getBytes(StandardCharsets.UTF_8));
    }
}
