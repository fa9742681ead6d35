/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.webhook;

import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.session.OutboxRecord;
import dev.cskit.api.session.OutboxRecord.Status;
import dev.cskit.api.session.SessionStore;
import dev.cskit.api.webhook.WebhookEndpoint;
import dev.cskit.api.webhook.WebhookSettings;
import dev.cskit.core.webhook.QueuedDelivery.State;
import dev.cskit.core.webhook.WebhookSender.Outcome;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox: at least once, in order per <em>lane</em> (one endpoint and one key, i.e. one session),
 * with at most {@code concurrency} attempts in flight over every endpoint.
 *
 * <p>A lane sends its next delivery only once the one before was delivered (2xx) or dead-lettered. A failed
 * attempt (an answer other than 2xx, no answer within {@code timeout}, no connection) is retried after
 * 1 s, 2 s, 4 s, … up to {@code max_retry_interval}, each wait scaled by a random factor in [0.5, 1) (jitter, so
 * many lanes of one endpoint coming back do not retry in step); once {@code max_age} has passed since the event
 * (or since an admin redelivered it) the next failure dead-letters it. Of dead-lettered deliveries the newest
 * {@value #MAX_DEAD} are kept, for {@link #redeliver}.
 *
 * <p>Each step of a durable delivery is written to the store ({@link SessionStore#putOutbox}) before the lane
 * moves on: delivered and dead-lettered ones are not sent again after a restart, except those in flight at a
 * crash. Deliveries that are not durable (agent presence) live in memory only.
 *
 * <p><b>Threading:</b> thread-safe. One lock guards the lanes, never held across I/O. Attempts start on
 * {@code executor} (the host's blocking executor) and finish on it: the store write of a result may block, so
 * nothing here runs on the scheduler (it only fires retry timers), a room thread, an event loop or under a session
 * lock; {@link #enqueue} only queues.
 */
final class WebhookDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);

    /** How many dead-lettered deliveries are kept; beyond it the oldest are discarded. */
    static final int MAX_DEAD = 1000;
    /** The wait before the first retry; it doubles with each failure. */
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    /** How often a failing endpoint is logged at most. */
    private static final Duration LOG_EVERY = Duration.ofMinutes(1);
    private static final int MAX_ERROR = 300;

    private record LaneId(String endpoint, String key) {
    }

    private static final class Delivery {
        OutboxRecord record;
        final boolean durable;
        final LaneId lane;
        State state = State.QUEUED;
        @Nullable Instant nextAttemptAt;

        Delivery(OutboxRecord record, boolean durable) {
            this.record = record;
            this.durable = durable;
            this.lane = new LaneId(record.endpoint(), record.key());
        }

        QueuedDelivery view() {
            return new QueuedDelivery(record, durable, state, nextAttemptAt);
        }
    }

    private static final class Lane {
        final LaneId id;
        final ArrayDeque<Delivery> queue = new ArrayDeque<>();
        boolean busy; // its head is in flight or waits for a retry
        boolean ready; // it is in the ready queue
        @Nullable ScheduledFuture<?> retry;

        Lane(LaneId id) {
            this.id = id;
        }
    }

    private final Map<String, WebhookEndpoint> endpoints = new HashMap<>();
    private final SessionStore store;
    private final WebhookSender sender;
    private final Executor executor;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final WebhookSettings settings;
    private final DoubleSupplier random;
    private final WebhookMeters meters;

    private final Object lock = new Object();
    // guarded by lock
    private final Map<LaneId, Lane> lanes = new HashMap<>();
    private final ArrayDeque<Lane> ready = new ArrayDeque<>();
    private final Map<String, Delivery> byId = new LinkedHashMap<>();
    private final LinkedHashMap<String, Delivery> dead = new LinkedHashMap<>();
    private final Map<String, Instant> loggedFailure = new HashMap<>();
    private int inFlight;
    private boolean stopped;

    /**
     * @param random a value in [0, 1) per retry, for the jitter
     */
    WebhookDispatcher(List<WebhookEndpoint> endpoints, WebhookSettings settings, SessionStore store, WebhookSender sender,
                      Executor executor, ScheduledExecutorService scheduler, Clock clock, DoubleSupplier random,
                      WebhookMeters meters) {
        for (WebhookEndpoint e : endpoints) {
            this.endpoints.put(e.url().toString(), e);
        }
        this.settings = Objects.requireNonNull(settings, "settings");
        this.store = Objects.requireNonNull(store, "store");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.meters = Objects.requireNonNull(meters, "meters");
    }

    /**
     * Takes in what the store kept at the last stop (pending ones are sent again, from their first attempt;
     * dead ones stay dead) and starts sending. Records of endpoints no longer configured are discarded, in the
     * store too.
     */
    void restore(List<OutboxRecord> kept) {
        List<OutboxRecord> discard = new ArrayList<>();
        synchronized (lock) {
            for (OutboxRecord r : kept) {
                if (!endpoints.containsKey(r.endpoint())) {
                    discard.add(r.withStatus(Status.DISCARDED));
                    continue;
                }
                Delivery d = new Delivery(r, true);
                byId.put(r.id(), d);
                if (r.status() == Status.DEAD) {
                    d.state = State.DEAD;
                    dead.put(r.id(), d);
                } else {
                    queue(d);
                }
            }
            discard.addAll(trimDead());
        }
        if (!discard.isEmpty()) {
            LOG.warn("webhooks: {} kept deliveries are discarded (their endpoint is no longer configured, or more than "
                    + "{} are dead-lettered)", discard.size(), MAX_DEAD);
            write(discard);
        }
        kick();
    }

    /** Queues new deliveries (already stored, if durable) at the end of their lanes. Never blocks. */
    void enqueue(List<OutboxRecord> records, boolean durable) {
        synchronized (lock) {
            if (stopped) {
                return; // durable ones are sent after the next start
            }
            for (OutboxRecord r : records) {
                if (!endpoints.containsKey(r.endpoint())) {
                    throw new IllegalArgumentException("no webhook endpoint " + r.endpoint());
                }
                Delivery d = new Delivery(r, durable);
                byId.put(r.id(), d);
                queue(d);
            }
        }
        kick();
    }

    /** Stops sending: no attempt starts and no result is written any more. Kept deliveries go on after a restart. */
    void stop() {
        synchronized (lock) {
            stopped = true;
            for (Lane l : lanes.values()) {
                if (l.retry != null) {
                    l.retry.cancel(false);
                    l.retry = null;
                }
            }
            ready.clear();
        }
    }

    /** The deliveries not delivered that {@code filter} takes, newest first, at most {@code limit}. */
    List<QueuedDelivery> deliveries(Predicate<QueuedDelivery> filter, int limit) {
        List<QueuedDelivery> out = new ArrayList<>();
        synchronized (lock) {
            for (Delivery d : byId.values()) {
                QueuedDelivery v = d.view();
                if (filter.test(v)) {
                    out.add(v);
                }
            }
        }
        out.sort(Comparator.comparing((QueuedDelivery v) -> v.record().createdAt()).thenComparing(v -> v.record().id())
                .reversed());
        return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
    }

    /** One delivery not delivered. */
    Optional<QueuedDelivery> delivery(String id) {
        synchronized (lock) {
            Delivery d = byId.get(id);
            return d == null ? Optional.empty() : Optional.of(d.view());
        }
    }

    /**
     * An admin sends a delivery again: a dead-lettered one goes back to the end of its lane, with {@code max_age}
     * counted from now; one waiting for a retry is tried at once. One queued or in flight is left as it is.
     *
     * @return the delivery after it, or empty if there is no such delivery (unknown, or delivered)
     */
    Optional<QueuedDelivery> redeliver(String id) {
        Delivery revived = null;
        synchronized (lock) {
            Delivery d = byId.get(id);
            if (d == null) {
                return Optional.empty();
            }
            if (d.state == State.DEAD) {
                dead.remove(id);
                d.record = d.record.redelivered(clock.instant());
                d.state = State.QUEUED;
                revived = d;
            } else if (d.state == State.RETRYING) {
                Lane lane = lanes.get(d.lane);
                if (lane.retry != null) {
                    lane.retry.cancel(false);
                    lane.retry = null;
                }
                retryNow(lane, d);
            }
        }
        if (revived != null) {
            // Stored pending before it can be delivered: its delivered mark must come after this in the store.
            if (revived.durable) {
                write(List.of(revived.record));
            }
            synchronized (lock) {
                queue(revived);
            }
        }
        kick();
        return delivery(id);
    }

    /** Deliveries not delivered nor dead-lettered. */
    int pendingCount() {
        synchronized (lock) {
            return byId.size() - dead.size();
        }
    }

    /** Dead-lettered deliveries kept. */
    int deadCount() {
        synchronized (lock) {
            return dead.size();
        }
    }

    // guarded by lock
    private void queue(Delivery d) {
        Lane lane = lanes.computeIfAbsent(d.lane, Lane::new);
        lane.queue.add(d);
        if (!lane.busy && !lane.ready) {
            lane.ready = true;
            ready.add(lane);
        }
    }

    // guarded by lock: the lane's head was delivered or dead-lettered
    private void advance(Lane lane, Delivery d) {
        lane.queue.remove(d);
        lane.busy = false;
        if (lane.queue.isEmpty()) {
            lanes.remove(lane.id);
        } else if (!lane.ready) {
            lane.ready = true;
            ready.add(lane);
        }
    }

    // guarded by lock
    private void retryNow(Lane lane, Delivery d) {
        d.state = State.QUEUED;
        d.nextAttemptAt = null;
        lane.busy = false;
        if (!lane.ready && !stopped) {
            lane.ready = true;
            ready.add(lane);
        }
    }

    /** Starts attempts while there is room. */
    private void kick() {
        List<Delivery> start = new ArrayList<>();
        synchronized (lock) {
            while (!stopped && inFlight < settings.concurrency() && !ready.isEmpty()) {
                Lane lane = ready.poll();
                lane.ready = false;
                Delivery d = lane.queue.peek();
                if (d == null) {
                    lanes.remove(lane.id);
                    continue;
                }
                lane.busy = true;
                d.state = State.IN_FLIGHT;
                d.nextAttemptAt = null;
                inFlight++;
                start.add(d);
            }
        }
        for (Delivery d : start) {
            try {
                executor.execute(() -> attempt(d));
            } catch (RejectedExecutionException e) {
                finish(d, Outcome.failed("the host's executor refused the attempt"));
            }
        }
    }

    private void attempt(Delivery d) {
        WebhookEndpoint to = endpoints.get(d.record.endpoint());
        CompletableFuture<Outcome> f;
        try {
            f = sender.send(to, d.record);
        } catch (RuntimeException e) {
            f = CompletableFuture.completedFuture(Outcome.failed(e.toString()));
        }
        // The result is written to the store, which may block: finish on the executor, whoever completed the future.
        f.whenComplete((o, err) -> {
            Outcome outcome = o != null ? o : Outcome.failed(String.valueOf(err));
            try {
                executor.execute(() -> finish(d, outcome));
            } catch (RejectedExecutionException e) {
                LOG.debug("webhooks: the executor refused the result of {}; it is sent again after a restart",
                        d.record.id());
            }
        });
    }

    private void finish(Delivery d, Outcome outcome) {
        synchronized (lock) {
            if (stopped) {
                inFlight--;
                return; // what the store holds is sent again after the next start
            }
        }
        Instant now = clock.instant();
        OutboxRecord r = d.record;
        if (outcome.ok()) {
            meters.delivered();
            OutboxRecord done = r.withStatus(Status.DELIVERED);
            if (d.durable) {
                write(List.of(done));
            }
            synchronized (lock) {
                inFlight--;
                d.record = done;
                byId.remove(r.id());
                advance(lanes.get(d.lane), d);
            }
        } else {
            String error = outcome.describe();
            if (error.length() > MAX_ERROR) {
                error = error.substring(0, MAX_ERROR) + "…";
            }
            OutboxRecord failed = r.failed(now, error);
            Instant deadline = failed.since().plus(settings.maxAge());
            logFailure(failed, now);
            if (!now.isBefore(deadline)) {
                meters.dead();
                OutboxRecord gone = failed.withStatus(Status.DEAD);
                if (d.durable) {
                    write(List.of(gone));
                }
                List<OutboxRecord> discard;
                synchronized (lock) {
                    inFlight--;
                    d.record = gone;
                    d.state = State.DEAD;
                    dead.put(r.id(), d);
                    discard = trimDead();
                    advance(lanes.get(d.lane), d);
                }
                write(discard);
                LOG.warn("webhook {} {} of {} to {} is dead-lettered after {} attempts in {} s; last error: {}",
                        r.id(), r.type(), r.key(), r.endpoint(), failed.attempts(),
                        Duration.between(failed.since(), now).toSeconds(), error);
            } else {
                meters.failed();
                if (d.durable) {
                    write(List.of(failed));
                }
                Duration wait = backoff(failed.attempts(), Duration.between(now, deadline));
                synchronized (lock) {
                    inFlight--;
                    d.record = failed;
                    d.state = State.RETRYING;
                    d.nextAttemptAt = now.plus(wait);
                    Lane lane = lanes.get(d.lane);
                    if (!stopped) {
                        lane.retry = scheduler.schedule(() -> retryDue(lane, d), wait.toMillis(), TimeUnit.MILLISECONDS);
                    }
                }
            }
        }
        kick();
    }

    /** A retry timer fired (on the scheduler: it only queues). */
    private void retryDue(Lane lane, Delivery d) {
        synchronized (lock) {
            if (lane.retry == null || d.state != State.RETRYING) {
                return; // redelivered meanwhile
            }
            lane.retry = null;
            retryNow(lane, d);
        }
        kick();
    }

    /** The wait after the {@code attempts}-th failure: 1 s doubling up to the cap, jittered, within the deadline. */
    Duration backoff(int attempts, Duration untilDeadline) {
        long cap = settings.maxRetryInterval().toMillis();
        long base = FIRST_RETRY.toMillis() << Math.min(Math.max(attempts - 1, 0), 30);
        long wait = (long) (Math.min(base, cap) * (0.5 + 0.5 * random.getAsDouble()));
        return Duration.ofMillis(Math.max(0, Math.min(wait, untilDeadline.toMillis())));
    }

    // guarded by lock: the oldest dead deliveries beyond MAX_DEAD, now discarded
    private List<OutboxRecord> trimDead() {
        List<OutboxRecord> out = new ArrayList<>();
        Iterator<Delivery> it = dead.values().iterator();
        while (dead.size() > MAX_DEAD && it.hasNext()) {
            Delivery d = it.next();
            it.remove();
            byId.remove(d.record.id());
            if (d.durable) {
                out.add(d.record.withStatus(Status.DISCARDED));
            }
        }
        return out;
    }

    private void write(List<OutboxRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        try {
            store.putOutbox(records);
        } catch (IOException | RuntimeException e) {
            // Delivery goes on; after a restart the store's older version is what counts (at least once).
            LOG.warn("webhooks: could not store the progress of {} deliveries ({}); after a restart they may be "
                    + "sent again", records.size(), e.toString());
        }
    }

    private void logFailure(OutboxRecord failed, Instant now) {
        boolean log;
        synchronized (lock) {
            Instant last = loggedFailure.get(failed.endpoint());
            log = last == null || !now.isBefore(last.plus(LOG_EVERY));
            if (log) {
                loggedFailure.put(failed.endpoint(), now);
            }
        }
        if (log) {
            LOG.warn("webhook endpoint {} failing: {} (delivery {}, attempt {}; retried with backoff, logged once a "
                    + "minute)", failed.endpoint(), failed.lastError(), failed.id(), failed.attempts());
        } else {
            LOG.debug("webhook delivery {} to {} failed: {}", failed.id(), failed.endpoint(), failed.lastError());
        }
    }
}
