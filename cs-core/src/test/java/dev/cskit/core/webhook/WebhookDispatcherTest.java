/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.api.metrics.Tags;
import dev.cskit.api.session.OutboxRecord;
import dev.cskit.api.session.OutboxRecord.Status;
import dev.cskit.api.webhook.WebhookEndpoint;
import dev.cskit.api.webhook.WebhookSettings;
import dev.cskit.core.ManualScheduler;
import dev.cskit.core.MutableClock;
import dev.cskit.core.metrics.MeterSet;
import dev.cskit.core.metrics.RecordingMeters;
import dev.cskit.core.session.InMemorySessionStore;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher on a manual clock and scheduler, with a sender whose answers the test gives: order per lane,
 * the concurrency bound, backoff, dead letters, redelivery and what reaches the store.
 */
class WebhookDispatcherTest {

    static final String A = "http://127.0.0.1:1/a";
    static final String B = "http://127.0.0.1:1/b";
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    final MutableClock clock = new MutableClock();
    final ManualScheduler scheduler = new ManualScheduler(clock);
    final InMemorySessionStore store = new InMemorySessionStore();
    RecordingMeters meters;
    final List<Attempt> attempts = new CopyOnWriteArrayList<>();
    final AtomicInteger ids = new AtomicInteger();
    WebhookDispatcher dispatcher;

    /** One attempt the dispatcher made; the test answers it. */
    record Attempt(WebhookEndpoint to, OutboxRecord delivery, CompletableFuture<WebhookSender.Outcome> answer) {
        void ok() {
            answer.complete(WebhookSender.Outcome.answered(204));
        }

        void fail(int status) {
            answer.complete(WebhookSender.Outcome.answered(status));
        }
    }

    @BeforeEach
    void start() {
        dispatcher = dispatcher(2, Duration.ofMinutes(10));
    }

    WebhookDispatcher dispatcher(int concurrency, Duration maxAge) {
        List<WebhookEndpoint> endpoints = List.of(new WebhookEndpoint(URI.create(A), SECRET, Set.of()),
                new WebhookEndpoint(URI.create(B), SECRET, Set.of()));
        meters = new RecordingMeters(); // a fresh registry for each dispatcher
        WebhookMeters m = new WebhookMeters(new MeterSet(meters));
        WebhookDispatcher d = new WebhookDispatcher(endpoints,
                new WebhookSettings(maxAge, Duration.ofSeconds(10), concurrency, Duration.ofSeconds(60)), store,
                (to, delivery) -> {
                    CompletableFuture<WebhookSender.Outcome> f = new CompletableFuture<>();
                    attempts.add(new Attempt(to, delivery, f));
                    return f;
                }, Runnable::run, scheduler, clock, () -> 0.0, m);
        m.gauges(d::pendingCount, d::deadCount);
        return d;
    }

    OutboxRecord record(String endpoint, String session) {
        int n = ids.incrementAndGet();
        return OutboxRecord.pending("dlv_" + n, "msg_" + n, "call.held", session, endpoint, "{\"n\":" + n + "}",
                clock.instant());
    }

    /** Stores records as the session manager would, then queues them. */
    List<OutboxRecord> offer(OutboxRecord... records) throws Exception {
        store.putOutbox(List.of(records));
        dispatcher.enqueue(List.of(records), true);
        return List.of(records);
    }

    Attempt last() {
        return attempts.get(attempts.size() - 1);
    }

    double counted(String outcome) {
        return meters.value("cskit_webhook_deliveries", Tags.of("outcome", outcome));
    }

    List<String> storedIds() {
        return store.loadOutbox().stream().map(OutboxRecord::id).toList();
    }

    @Test
    void aSessionsNextEventWaitsForThePreviousWhileOtherSessionsGoOn() throws Exception {
        List<OutboxRecord> s1 = offer(record(A, "cs_1"), record(A, "cs_1"), record(A, "cs_1"));
        OutboxRecord other = offer(record(A, "cs_2")).get(0);
        assertEquals(List.of(s1.get(0).id(), other.id()), attempts.stream().map(a -> a.delivery().id()).toList());
        attempts.get(1).ok(); // cs_2 is done; cs_1's second still waits for its first
        assertEquals(2, attempts.size());
        attempts.get(0).ok();
        assertEquals(s1.get(1).id(), last().delivery().id());
        last().ok();
        assertEquals(s1.get(2).id(), last().delivery().id());
        last().ok();
        assertEquals(4, attempts.size());
        assertEquals(List.of(), storedIds(), "delivered ones are forgotten by the store");
        assertEquals(4.0, counted("delivered"));
        assertEquals(0.0, meters.value("cskit_webhook_pending"));
    }

    @Test
    void eachEndpointHasItsOwnLaneForASession() throws Exception {
        offer(record(A, "cs_1"), record(B, "cs_1"));
        assertEquals(List.of(A, B), attempts.stream().map(a -> a.delivery().endpoint()).toList());
    }

    @Test
    void noMoreThanConcurrencyAttemptsAreInFlight() throws Exception {
        for (int i = 0; i < 5; i++) {
            offer(record(A, "cs_" + i));
        }
        assertEquals(2, attempts.size());
        assertEquals(5.0, meters.value("cskit_webhook_pending"));
        attempts.get(0).ok();
        assertEquals(3, attempts.size());
        attempts.get(1).fail(500); // a failure frees its slot too, and waits for its retry
        assertEquals(4, attempts.size());
    }

    @Test
    void failuresAreRetriedWithGrowingWaitsThenDeadLetteredAndTheSessionMovesOn() throws Exception {
        dispatcher = dispatcher(2, Duration.ofSeconds(20));
        OutboxRecord first = offer(record(A, "cs_1")).get(0);
        OutboxRecord second = offer(record(A, "cs_1")).get(0);
        Instant start = clock.instant();
        List<Long> waits = new ArrayList<>();
        while (true) {
            Attempt a = last();
            assertEquals(first.id(), a.delivery().id(), "the second waits until the first is settled");
            a.fail(503);
            if (dispatcher.delivery(first.id()).orElseThrow().record().status() == Status.DEAD) {
                break;
            }
            Instant due = dispatcher.delivery(first.id()).orElseThrow().nextAttemptAt();
            waits.add(Duration.between(clock.instant(), due).toMillis());
            assertEquals(1, store.loadOutbox().stream().filter(r -> r.id().equals(first.id()))
                    .mapToInt(OutboxRecord::attempts).map(n -> n == waits.size() ? 1 : 0).sum(),
                    "each failed attempt is stored");
            clock.advance(Duration.between(clock.instant(), due));
            assertEquals(1, scheduler.runDue());
        }
        // Jitter 0.5 of 1 s, 2 s, 4 s, 8 s, 16 s; the fifth wait is cut to the deadline, 20 s after the event.
        assertEquals(List.of(500L, 1000L, 2000L, 4000L, 8000L, 4500L), waits);
        assertEquals(start.plusSeconds(20), clock.instant());
        OutboxRecord dead = store.loadOutbox().get(0);
        assertEquals(Status.DEAD, dead.status());
        assertEquals(7, dead.attempts());
        assertEquals("HTTP 503", dead.lastError());
        assertEquals(second.id(), last().delivery().id(), "the session's next event goes once the first is dead");
        assertEquals(6.0, counted("failed"));
        assertEquals(1.0, counted("dead"));
        assertEquals(1.0, meters.value("cskit_webhook_dead"));
    }

    @Test
    void aDeadLetterIsRedeliveredWithAFreshAgeAndThenForgotten() throws Exception {
        dispatcher = dispatcher(2, Duration.ofSeconds(1));
        OutboxRecord r = offer(record(A, "cs_1")).get(0);
        last().fail(500);
        clock.advance(Duration.ofSeconds(1));
        scheduler.runDue();
        last().fail(500);
        assertEquals(Status.DEAD, dispatcher.delivery(r.id()).orElseThrow().record().status());
        int before = attempts.size();

        clock.advance(Duration.ofHours(1));
        QueuedDelivery v = dispatcher.redeliver(r.id()).orElseThrow();
        assertEquals(before + 1, attempts.size(), "sent again at once");
        assertEquals(clock.instant(), v.record().since());
        assertEquals(Status.PENDING, store.loadOutbox().get(0).status(), "stored pending again before it is sent");
        last().ok();
        assertTrue(dispatcher.delivery(r.id()).isEmpty());
        assertEquals(List.of(), storedIds());
        assertTrue(dispatcher.redeliver(r.id()).isEmpty(), "a delivered one is not kept");
    }

    @Test
    void redeliveringOneThatWaitsForItsRetryTriesItAtOnce() throws Exception {
        OutboxRecord r = offer(record(A, "cs_1")).get(0);
        last().fail(502);
        assertEquals(QueuedDelivery.State.RETRYING, dispatcher.delivery(r.id()).orElseThrow().state());
        dispatcher.redeliver(r.id());
        assertEquals(2, attempts.size());
        last().ok();
        assertEquals(0, scheduler.runDue(), "the cancelled retry timer does nothing");
        clock.advance(Duration.ofMinutes(5));
        scheduler.runDue();
        assertEquals(2, attempts.size());
    }

    @Test
    void aRestartResendsWhatWasPendingKeepsTheDeadAndDropsUnknownEndpoints() throws Exception {
        OutboxRecord pending = record(A, "cs_1").failed(clock.instant(), "HTTP 500");
        OutboxRecord dead = record(B, "cs_2").withStatus(Status.DEAD);
        OutboxRecord gone = record("http://127.0.0.1:1/removed", "cs_3");
        store.putOutbox(List.of(pending, dead, gone));
        dispatcher.restore(store.loadOutbox());
        assertEquals(List.of(pending.id()), attempts.stream().map(a -> a.delivery().id()).toList());
        assertEquals(List.of(pending.id(), dead.id()), storedIds());
        assertEquals(1.0, meters.value("cskit_webhook_dead"));
    }

    @Test
    void afterStopNothingIsSentNorWrittenAndTheStoreKeepsItForTheNextStart() throws Exception {
        OutboxRecord r = offer(record(A, "cs_1")).get(0);
        dispatcher.stop();
        last().ok(); // the answer comes after the stop: the store still has it pending
        assertEquals(List.of(r.id()), storedIds());
        offer(record(A, "cs_2"));
        assertEquals(1, attempts.size());
    }

    @Test
    void notDurableDeliveriesNeverReachTheStore() {
        OutboxRecord r = record(A, "agent:agent_001");
        dispatcher.enqueue(List.of(r), false);
        last().fail(500);
        assertEquals(List.of(), storedIds());
        assertTrue(dispatcher.delivery(r.id()).isPresent());
        clock.advance(Duration.ofSeconds(1));
        scheduler.runDue();
        last().ok();
        assertEquals(List.of(), storedIds());
        assertTrue(dispatcher.delivery(r.id()).isEmpty());
    }
}
