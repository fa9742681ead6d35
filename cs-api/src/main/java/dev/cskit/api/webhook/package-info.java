/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */

/**
 * Webhook configuration: the endpoints ({@link dev.cskit.api.webhook.WebhookEndpoint}), the event types
 * ({@link dev.cskit.api.webhook.WebhookEventType}) and how deliveries are retried
 * ({@link dev.cskit.api.webhook.WebhookSettings}). The durable outbox itself is part of the session store SPI
 * ({@link dev.cskit.api.session.SessionStore}, {@link dev.cskit.api.session.OutboxRecord}).
 */
package dev.cskit.api.webhook;
