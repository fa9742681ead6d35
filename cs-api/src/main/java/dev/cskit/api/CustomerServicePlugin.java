/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api;

import dev.cskit.api.health.Readiness;
import java.time.Duration;
import java.util.Iterator;
import java.util.ServiceLoader;

/**
 * The customer-service plugin as a host engine sees it: started once with what the host provides, stopped
 * once. Implementations are found with {@link #load()} ({@code META-INF/services}) or constructed directly.
 *
 * <p><b>Threading:</b> the host calls {@link #start}, {@link #drain} (if it drains) and {@link #stop} from one
 * thread, once each, in that order; all may block (opening and flushing the data directory, waiting for calls to
 * end). Between them the plugin is driven by the callbacks it registered. {@link #readiness} may be called from
 * any thread at any time.
 */
public interface CustomerServicePlugin {

    /** A short name for logs, e.g. {@code customer-service}. */
    String name();

    /**
     * Registers the plugin's room callbacks and HTTP routes and restores its stored state.
     *
     * @throws Exception if it cannot start (e.g. the data directory is unreadable); nothing stays registered
     */
    void start(PluginContext context) throws Exception;

    /**
     * Ends calls in progress (reason {@code shutdown}), unregisters everything it registered, flushes and
     * closes its store. Idempotent.
     */
    void stop();

    /**
     * A graceful shutdown's first half: stop taking new work (new sessions are refused with {@code 503}) and wait,
     * up to {@code grace}, for the calls in progress to end by themselves. Returns when none is left or the grace
     * is over; {@link #stop} then ends the rest (reason {@code shutdown}). {@link #readiness} says not ready from
     * the moment it is called. A zero grace returns at once. The default does nothing.
     */
    default void drain(Duration grace) {
    }

    /**
     * Whether the plugin can take traffic now: started, its store writable, not draining. Thread-safe, cheap
     * (called by every readiness probe), never blocks on I/O beyond a file-system check. The default: ready.
     */
    default Readiness readiness() {
        return Readiness.READY;
    }

    /**
     * Finds the first implementation on the class path through {@link ServiceLoader}.
     *
     * @throws IllegalStateException if there is none (add {@code cs-core} to the class path)
     */
    static CustomerServicePlugin load() {
        Iterator<CustomerServicePlugin> it = ServiceLoader.load(CustomerServicePlugin.class).iterator();
        if (!it.hasNext()) {
            throw new IllegalStateException("no CustomerServicePlugin on the class path: add dev.cskit:cs-core");
        }
        return it.next();
    }
}
