/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.metrics;

import java.util.List;

/**
 * What the media metrics read from the media engine: the one seam between {@link MediaMeters} and the engine's
 * API, implemented by one small binding class ({@code core.media.EngineMediaStats}), so a change of the engine's
 * counters changes that class only.
 *
 * <p><b>Threading:</b> {@link #totals()} is called on the scraping thread; it may take short locks and read the
 * engine's counters, must not block on the network and must not throw.
 */
public interface MediaStatsSource {

    /** The drop reasons {@link MediaTotals#droppedByReason()} has a count for, fixed for the source's life. */
    List<String> dropReasons();

    /** Totals since the engine started, ended peer connections included: every count only grows. */
    MediaTotals totals();
}
