/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty.stats;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the ICE-TCP media listeners, one per {@link IceTcpCounter}, and the gauges of open connections
 * (pending: no STUN check passed yet; checked: a peer's). The listeners write them on their event loops; anyone may
 * read them.
 *
 * <p><b>Thread-safety:</b> thread-safe and lock-free; a {@link #snapshot()} is not atomic across counters.
 */
public final class IceTcpCounters {

    private final LongAdder[] counts = new LongAdder[IceTcpCounter.values().length];
    private final LongAdder pending = new LongAdder();
    private final LongAdder checked = new LongAdder();

    public IceTcpCounters() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    /** Counts one event; called by the listeners. */
    public void increment(IceTcpCounter counter) {
        counts[counter.ordinal()].increment();
    }

    /** How many events of this kind happened so far. */
    public long get(IceTcpCounter counter) {
        return counts[counter.ordinal()].sum();
    }

    /** Moves the open-connection gauges by {@code pendingDelta} and {@code checkedDelta}; called by the listeners. */
    public void open(int pendingDelta, int checkedDelta) {
        pending.add(pendingDelta);
        checked.add(checkedDelta);
    }

    /** Open connections no STUN check has passed on yet. */
    public long pending() {
        return pending.sum();
    }

    /** Open connections a STUN check passed on (a peer's). */
    public long checked() {
        return checked.sum();
    }

    /** Every counter, in {@link IceTcpCounter} order. */
    public Map<IceTcpCounter, Long> snapshot() {
        Map<IceTcpCounter, Long> out = new EnumMap<>(IceTcpCounter.class);
        for (IceTcpCounter c : IceTcpCounter.values()) {
            out.put(c, get(c));
        }
        return Collections.unmodifiableMap(out);
    }

    @Override
    public String toString() {
        return "IceTcpCounters" + snapshot() + " open pending=" + pending() + " checked=" + checked();
    }
}
