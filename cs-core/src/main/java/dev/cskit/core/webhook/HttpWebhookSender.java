/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.webhook;

import dev.cskit.api.session.OutboxRecord;
import dev.cskit.api.webhook.WebhookEndpoint;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * POSTs a delivery with the JDK {@link HttpClient}: the JSON body as stored, {@code content-type:
 * application/json}, and the Standard Webhooks headers {@code webhook-id} (the event id, the same on every
 * attempt), {@code webhook-timestamp} (this attempt's unix seconds) and {@code webhook-signature}. HTTP/1.1, no
 * redirects followed (a 3xx is a failure), connect and response-header timeouts of {@code timeout}, and a guard
 * on the scheduler that gives up on an answer whose body is still not read {@code timeout} later.
 *
 * <p>The client is made at the first send and runs its tasks on the given executor (the host's blocking
 * executor); the JDK client keeps one selector thread of its own while it is in use. Thread-safe.
 */
final class HttpWebhookSender implements WebhookSender {

    static final String USER_AGENT = "cskit-webhooks/1";

    private final Executor executor;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Duration timeout;
    private HttpClient client; // guarded by this

    HttpWebhookSender(Executor executor, ScheduledExecutorService scheduler, Clock clock, Duration timeout) {
        this.executor = Objects.requireNonNull(executor, "executor");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    private synchronized HttpClient client() {
        if (client == null) {
            client = HttpClient.newBuilder()
                    .executor(executor)
                    .connectTimeout(timeout)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .version(HttpClient.Version.HTTP_1_1)
                    .build();
        }
        return client;
    }

    @Override
    public CompletableFuture<WebhookSender.Outcome> send(WebhookEndpoint to, OutboxRecord delivery) {
        long timestamp = clock.instant().getEpochSecond();
        byte[] body = delivery.body().getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(to.url())
                .timeout(timeout)
                .header("content-type", "application/json")
                .header("user-agent", USER_AGENT)
                .header(WebhookSignature.ID, delivery.eventId())
                .header(WebhookSignature.TIMESTAMP, Long.toString(timestamp))
                .header(WebhookSignature.SIGNATURE, WebhookSignature.sign(to.key(), delivery.eventId(), timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        CompletableFuture<WebhookSender.Outcome> result = new CompletableFuture<>();
        CompletableFuture<HttpResponse<Void>> http = client().sendAsync(request, HttpResponse.BodyHandlers.discarding());
        // The request timeout covers the answer's headers; this covers a body that trickles in forever.
        ScheduledFuture<?> guard = scheduler.schedule(() -> {
            if (result.complete(WebhookSender.Outcome.failed("no complete answer within " + timeout.toSeconds()
                    + " s"))) {
                http.cancel(true);
            }
        }, timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
        http.whenComplete((response, error) -> {
            guard.cancel(false);
            result.complete(response != null ? WebhookSender.Outcome.answered(response.statusCode())
                    : WebhookSender.Outcome.failed(describe(error)));
        });
        return result;
    }

    /** A short reason for a failed exchange, without a stack. */
    static String describe(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof HttpTimeoutException) {
            return "timed out (" + e.getMessage() + ")";
        }
        if (e instanceof ConnectException) {
            return "cannot connect" + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
        }
        if (e instanceof IOException) {
            return "I/O error: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
