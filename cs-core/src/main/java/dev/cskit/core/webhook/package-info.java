/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
/**
 * Webhooks with a durable outbox. {@link dev.cskit.core.webhook.Webhooks} turns session changes into events
 * ({@link dev.cskit.core.webhook.WebhookEvents}) that the session store writes with the change
 * ({@link dev.cskit.core.session.SessionOutbox}), adds agent state changes and finished recordings, and hands the
 * deliveries to the {@link dev.cskit.core.webhook.WebhookDispatcher}: in order per session and endpoint, at least
 * once, signed the Standard Webhooks way ({@link dev.cskit.core.webhook.WebhookSignature}), retried with backoff
 * and dead-lettered after {@code max_age}.
 */
package dev.cskit.core.webhook;
