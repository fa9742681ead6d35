/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty.stats;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one host, one per {@link HostCounter}, for metrics ({@code NettyHost.counters()}). The host's
 * handlers {@linkplain #increment increment} them on their event loops; anyone may read them.
 *
 * <p><b>Thread-safety:</b> thread-safe and lock-free; a {@link #snapshot()} is not atomic across counters.
 */
public final class HostCounters {

    private final LongAdder[] counts = new LongAdder[HostCounter.values().length];

    public HostCounters() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    /** Counts one event; called by the host. */
    public void increment(HostCounter counter) {
        counts[counter.ordinal()].increment();
    }

    /** How many events of this kind happened since the host was built. */
    public long get(HostCounter counter) {
        return counts[counter.ordinal()].sum();
    }

    /** Every counter, in {@link HostCounter} order. */
    public Map<HostCounter, Long> snapshot() {
        Map<HostCounter, Long> out = new EnumMap<>(HostCounter.class);
        for (HostCounter c : HostCounter.values()) {
            out.put(c, get(c));
        }
        return Collections.unmodifiableMap(out);
    }

    @Override
    public String toString() {
        return "HostCounters" + snapshot();
    }
}
