/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty.internal;

import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fixed set of serial task queues; a key (a room id) always maps to the same queue. Tasks of one queue
 * run one at a time, in the order they were {@linkplain #post posted}, on the queue's backing executor.
 * This is how the host keeps the {@code RoomCallbacks} contract: calls about one room are never concurrent
 * and arrive in order, while rooms on different stripes run in parallel. A fixed stripe count means no
 * per-room state to clean up.
 *
 * <p>Posting and kicking are split so a caller can post while holding a lock (cheap, never runs a task)
 * and {@link #kick} after releasing it. A task that posts to its own stripe never recurses: the new task
 * runs after the current one returns. With a direct backing executor ({@code Runnable::run}) tasks run on
 * the kicking thread (trampolined), which is what the unit tests use.
 *
 * <p>Thread-safe. Unsupported API.
 */
public final class SerialStripes {

    private static final Logger LOG = LoggerFactory.getLogger(SerialStripes.class);

    private final Stripe[] stripes;

    /**
     * @param count   number of stripes (a power of two is not required)
     * @param backing the executor of stripe {@code i}, e.g. the host's room pool (callbacks may block briefly,
     *                so never an I/O event loop); a shared pool is fine: a stripe runs one task at a time
     */
    public SerialStripes(int count, IntFunction<Executor> backing) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, was " + count);
        }
        stripes = new Stripe[count];
        for (int i = 0; i < count; i++) {
            stripes[i] = new Stripe(Objects.requireNonNull(backing.apply(i), "backing executor"));
        }
    }

    /** Queues a task for the key's stripe without running anything; follow with {@link #kick}. */
    public void post(String key, Runnable task) {
        stripe(key).queue.add(task);
    }

    /** Makes sure the key's stripe drains what was posted. */
    public void kick(String key) {
        stripe(key).kick();
    }

    private Stripe stripe(String key) {
        return stripes[Math.floorMod(key.hashCode(), stripes.length)];
    }

    private static final class Stripe {
        final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
        final AtomicBoolean running = new AtomicBoolean();
        final Executor executor;

        Stripe(Executor executor) {
            this.executor = executor;
        }

        void kick() {
            if (!queue.isEmpty() && running.compareAndSet(false, true)) {
                try {
                    executor.execute(this::drain);
                } catch (RuntimeException e) {
                    running.set(false);
                    LOG.warn("room callbacks could not be scheduled (host shutting down?): {}", e.toString());
                }
            }
        }

        private void drain() {
            for (;;) {
                Runnable task;
                while ((task = queue.poll()) != null) {
                    try {
                        task.run();
                    } catch (Throwable t) {
                        LOG.error("room callback task failed", t);
                    }
                }
                running.set(false);
                // A post that raced with the end of the loop saw running=true and did not schedule.
                if (queue.isEmpty() || !running.compareAndSet(false, true)) {
                    return;
                }
            }
        }
    }
}
