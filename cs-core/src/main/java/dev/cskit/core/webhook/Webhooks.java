/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.webhook;

import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.session.OutboxRecord;
import dev.cskit.api.session.Session;
import dev.cskit.api.session.SessionStore;
import dev.cskit.api.webhook.WebhookEndpoint;
import dev.cskit.api.webhook.WebhookEventType;
import dev.cskit.api.webhook.WebhookSettings;
import dev.cskit.core.agent.RoutingEvents;
import dev.cskit.core.json.SessionJson;
import dev.cskit.core.metrics.MeterSet;
import dev.cskit.core.session.SessionOutbox;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plugin's webhooks: makes the events and their deliveries, one per endpoint that hears the event, and hands
 * them to the {@link WebhookDispatcher}.
 *
 * <ul>
 *   <li>Session events: as the {@link SessionOutbox} of the session manager, the deliveries of a change are written
 *       to the store in the same write as the change, and queued once that returned.</li>
 *   <li>{@code agent.state_changed}: {@link #agentEvents} wraps the router's {@link RoutingEvents}; queued in
 *       memory only (agent presence is not durable).</li>
 *   <li>{@code recording.ready}: {@link #recordingReady}, once a call's recording files are closed; written to the
 *       store, then queued.</li>
 * </ul>
 *
 * <p>The body of every delivery is {@code {"id", "type", "timestamp", "data"}} ({@code id} = {@code webhook-id},
 * {@code timestamp} ISO-8601 UTC of the event), made once and sent as it is on every attempt.
 *
 * <p><b>Threading:</b> thread-safe. {@link #recordsFor} and {@link #stored} run under a session's lock and only
 * build and queue; the agent events under the router's lock, likewise.
 */
public final class Webhooks implements SessionOutbox {

    private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);

    private final List<WebhookEndpoint> endpoints;
    private final SessionStore store;
    private final Clock clock;
    private final Executor blocking;
    private final WebhookIds ids = new WebhookIds();
    private final WebhookDispatcher dispatcher;

    /**
     * @param store    where durable deliveries are kept; must {@linkplain SessionStore#keepsOutbox() keep an outbox}
     *                 when endpoints are configured
     * @param blocking the host's blocking executor: attempts, their results' store writes, recording listings
     * @param scheduler the host's scheduler: retry timers only
     * @throws IllegalStateException if endpoints are configured and the store keeps no outbox
     */
    public Webhooks(List<WebhookEndpoint> endpoints, WebhookSettings settings, SessionStore store, Clock clock,
                    Executor blocking, ScheduledExecutorService scheduler, MeterSet meters) {
        this(endpoints, settings, store, clock, blocking, scheduler, meters,
                new HttpWebhookSender(blocking, scheduler, clock, settings.timeout()),
                () -> ThreadLocalRandom.current().nextDouble());
    }

    Webhooks(List<WebhookEndpoint> endpoints, WebhookSettings settings, SessionStore store, Clock clock,
             Executor blocking, ScheduledExecutorService scheduler, MeterSet meters, WebhookSender sender,
             java.util.function.DoubleSupplier random) {
        this.endpoints = List.copyOf(endpoints);
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.blocking = Objects.requireNonNull(blocking, "blocking");
        if (!this.endpoints.isEmpty() && !store.keepsOutbox()) {
            throw new IllegalStateException("webhooks are configured, but the session store "
                    + store.getClass().getName() + " keeps no outbox (SessionStore.keepsOutbox()); use a store that "
                    + "does, or remove customer_service.webhooks");
        }
        WebhookMeters m = new WebhookMeters(meters);
        this.dispatcher = new WebhookDispatcher(this.endpoints, settings, store, sender, blocking, scheduler, clock,
                random, m);
        m.gauges(dispatcher::pendingCount, dispatcher::deadCount);
    }

    /** Whether any endpoint is configured; without one nothing is made, queued or sent. */
    public boolean enabled() {
        return !endpoints.isEmpty();
    }

    /**
     * Takes in the deliveries the store kept (after the sessions were restored) and starts sending them; those of
     * endpoints no longer configured are discarded.
     *
     * @throws IOException if the store cannot read them
     */
    public void start() throws IOException {
        List<OutboxRecord> kept = store.loadOutbox();
        dispatcher.restore(kept);
        if (!kept.isEmpty()) {
            LOG.info("webhooks: {} deliveries kept from the last run ({} pending, {} dead-lettered)", kept.size(),
                    dispatcher.pendingCount(), dispatcher.deadCount());
        }
    }

    /** Stops sending; what is not delivered yet is sent after the next start. */
    public void stop() {
        dispatcher.stop();
    }

    @Override
    public List<OutboxRecord> recordsFor(@Nullable Session before, Session after) {
        if (endpoints.isEmpty()) {
            return List.of();
        }
        Instant now = clock.instant();
        List<OutboxRecord> out = new ArrayList<>();
        for (WebhookEvents.Event e : WebhookEvents.between(before, after, now)) {
            out.addAll(deliveries(e, after.id(), now));
        }
        return out;
    }

    @Override
    public void stored(List<OutboxRecord> records) {
        dispatcher.enqueue(records, true);
    }

    /**
     * The router's events, with {@code agent.state_changed} sent for every change of an agent's state; {@code next}
     * itself if no endpoint hears that event.
     */
    public RoutingEvents agentEvents(RoutingEvents next) {
        if (endpoints.stream().noneMatch(e -> e.accepts(WebhookEventType.AGENT_STATE_CHANGED))) {
            return next;
        }
        return new AgentStateEvents(next, (agent, previous) -> {
            Instant now = clock.instant();
            WebhookEvents.Event e = WebhookEvents.agentStateChanged(agent, previous);
            List<OutboxRecord> records = deliveries(e, "agent:" + agent.id(), now);
            if (!records.isEmpty()) {
                dispatcher.enqueue(records, false);
            }
        });
    }

    /**
     * A call's recordings are finished ({@code recording.ready}). Lists them and writes the event on the blocking
     * executor, whatever thread calls this.
     *
     * @param files lists the session's recording files (may read the disk)
     */
    public void recordingReady(String sessionId, Supplier<List<WebhookEvents.RecordingFile>> files) {
        if (endpoints.stream().noneMatch(e -> e.accepts(WebhookEventType.RECORDING_READY))) {
            return;
        }
        try {
            blocking.execute(() -> {
                Instant now = clock.instant();
                List<OutboxRecord> records;
                try {
                    records = deliveries(WebhookEvents.recordingReady(sessionId, files.get()), sessionId, now);
                    store.putOutbox(records);
                } catch (IOException | RuntimeException e) {
                    LOG.error("webhooks: could not store recording.ready of {}; it is not sent", sessionId, e);
                    return;
                }
                dispatcher.enqueue(records, true);
            });
        } catch (RejectedExecutionException e) {
            LOG.warn("webhooks: recording.ready of {} is not sent: the blocking executor refused it", sessionId);
        }
    }

    /** The deliveries not delivered that {@code filter} takes, newest first, at most {@code limit}. */
    public List<DeliveryView> deliveries(Predicate<DeliveryView> filter, int limit) {
        List<DeliveryView> out = new ArrayList<>();
        for (QueuedDelivery v : dispatcher.deliveries(v -> filter.test(view(v)), limit)) {
            out.add(view(v));
        }
        return out;
    }

    /**
     * Sends a delivery again: a dead-lettered one is queued again with {@code max_age} counted from now, one waiting
     * for its retry is tried at once; one queued or in flight is left as it is.
     *
     * @return the delivery after it, or empty if none has this id (unknown, or delivered already)
     */
    public Optional<DeliveryView> redeliver(String deliveryId) {
        return dispatcher.redeliver(deliveryId).map(Webhooks::view);
    }

    /** A delivery as the admin API shows it. */
    public record DeliveryView(OutboxRecord record, String state, boolean durable, @Nullable Instant nextAttemptAt) {
        /** Pending, and at least one attempt failed. */
        public boolean failed() {
            return record.status() == OutboxRecord.Status.PENDING && record.attempts() > 0;
        }
    }

    private static DeliveryView view(QueuedDelivery v) {
        return new DeliveryView(v.record(), v.state().name().toLowerCase(java.util.Locale.ROOT), v.durable(),
                v.nextAttemptAt());
    }

    /** One delivery of {@code e} to each endpoint that hears it. */
    private List<OutboxRecord> deliveries(WebhookEvents.Event e, String key, Instant now) {
        List<OutboxRecord> out = new ArrayList<>(endpoints.size());
        String eventId = null;
        String body = null;
        for (WebhookEndpoint to : endpoints) {
            if (!to.accepts(e.type())) {
                continue;
            }
            if (body == null) {
                eventId = ids.event(now);
                body = body(eventId, e, now);
            }
            out.add(OutboxRecord.pending(ids.delivery(now), eventId, e.type().wireName(), key, to.url().toString(), body,
                    now));
        }
        return out;
    }

    private static String body(String eventId, WebhookEvents.Event e, Instant at) {
        ObjectNode n = SessionJson.MAPPER.createObjectNode();
        n.put("id", eventId);
        n.put("type", e.type().wireName());
        n.put("timestamp", SessionJson.time(at));
        n.set("data", e.data());
        try {
            return SessionJson.MAPPER.writeValueAsString(n);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("a tree of plain values always serializes", ex);
        }
    }
}
