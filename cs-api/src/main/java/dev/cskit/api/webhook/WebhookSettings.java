/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.webhook;

import java.time.Duration;
import java.util.Objects;

/**
 * How webhook deliveries are made ({@code customer_service.webhook_delivery}).
 *
 * @param maxAge           how long a delivery is retried, from its event, before it is dead-lettered (24 h)
 * @param timeout          how long one attempt may take, connect to the end of the response (10 s)
 * @param concurrency      how many attempts are in flight at once, over every endpoint (4)
 * @param maxRetryInterval the longest wait between two attempts; the waits double from 1 s up to it (10 min)
 */
public record WebhookSettings(Duration maxAge, Duration timeout, int concurrency, Duration maxRetryInterval) {

    public static final WebhookSettings DEFAULTS =
            new WebhookSettings(Duration.ofHours(24), Duration.ofSeconds(10), 4, Duration.ofMinutes(10));

    public WebhookSettings {
        positive("max_age", maxAge);
        positive("timeout", timeout);
        positive("max_retry_interval", maxRetryInterval);
        if (concurrency < 1 || concurrency > 256) {
            throw new IllegalArgumentException("webhook_delivery.concurrency must be 1 to 256, was " + concurrency);
        }
    }

    private static void positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("webhook_delivery." + name + " must be positive, was " + d);
        }
    }
}
