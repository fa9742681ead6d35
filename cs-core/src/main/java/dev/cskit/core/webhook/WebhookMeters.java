/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.webhook;

import dev.cskit.api.metrics.Counter;
import dev.cskit.api.metrics.Tags;
import dev.cskit.core.metrics.MeterSet;
import java.util.function.IntSupplier;

/**
 * {@code cskit_webhook_deliveries_total{outcome}} (each attempt: {@code delivered}, {@code failed} (to be retried)
 * or {@code dead} (its last failure dead-lettered it)), {@code cskit_webhook_pending} (deliveries not delivered
 * nor dead-lettered) and {@code cskit_webhook_dead} (dead-lettered ones kept). Thread-safe.
 */
final class WebhookMeters {

    private static final String HELP = "Webhook delivery attempts, by outcome: delivered, failed (retried later), "
            + "dead (dead-lettered)";

    private final MeterSet meters;
    private final Counter delivered;
    private final Counter failed;
    private final Counter dead;

    WebhookMeters(MeterSet meters) {
        this.meters = meters;
        delivered = meters.counter("cskit_webhook_deliveries", HELP, Tags.of("outcome", "delivered"));
        failed = meters.counter("cskit_webhook_deliveries", HELP, Tags.of("outcome", "failed"));
        dead = meters.counter("cskit_webhook_deliveries", HELP, Tags.of("outcome", "dead"));
    }

    void gauges(IntSupplier pending, IntSupplier deadLettered) {
        meters.gauge("cskit_webhook_pending", "Webhook deliveries not delivered nor dead-lettered yet", Tags.empty(),
                pending::getAsInt);
        meters.gauge("cskit_webhook_dead", "Dead-lettered webhook deliveries kept for redelivery", Tags.empty(),
                deadLettered::getAsInt);
    }

    void delivered() {
        delivered.increment();
    }

    void failed() {
        failed.increment();
    }

    void dead() {
        dead.increment();
    }
}
