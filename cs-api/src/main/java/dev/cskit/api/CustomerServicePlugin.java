/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api;

import java.util.Iterator;
import java.util.ServiceLoader;

/**
 * The customer-service plugin as a host engine sees it: started once with what the host provides, stopped
 * once. Implementations are found with {@link #load()} ({@code META-INF/services}) or constructed directly.
 *
 * <p><b>Threading:</b> the host calls {@link #start} and {@link #stop} from one thread, once each, in that
 * order; both may block (opening and flushing the data directory). Between them the plugin is driven by the
 * callbacks it registered.
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
