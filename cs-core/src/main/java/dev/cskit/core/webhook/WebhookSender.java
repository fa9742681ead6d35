/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.webhook;

import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.session.OutboxRecord;
import dev.cskit.api.webhook.WebhookEndpoint;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** Makes one attempt for {@link WebhookDispatcher}: POSTs a delivery to its endpoint. */
interface WebhookSender {

    /**
     * Sends {@code delivery} to {@code to}; the future completes with the outcome (never exceptionally) on any
     * thread. Must not block.
     */
    CompletableFuture<Outcome> send(WebhookEndpoint to, OutboxRecord delivery);

    /** How an attempt went: an HTTP status, or why there was none. */
    record Outcome(int status, @Nullable String error) {
        static Outcome answered(int status) {
            return new Outcome(status, null);
        }

        static Outcome failed(String error) {
            return new Outcome(0, Objects.requireNonNull(error, "error"));
        }

        boolean ok() {
            return error == null && status >= 200 && status < 300;
        }

        String describe() {
            return error != null ? error : "HTTP " + status;
        }
    }
}
