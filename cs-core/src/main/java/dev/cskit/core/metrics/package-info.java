/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */

/**
 * The plugin's metrics, recorded through the host's {@link dev.cskit.api.metrics.Meters}: sessions, calls, the
 * queue and agents ({@link dev.cskit.core.metrics.CoreMeters}), rings ({@link dev.cskit.core.metrics.RingMeters}),
 * and the media path ({@link dev.cskit.core.metrics.MediaMeters}), which reads the media engine only through
 * {@link dev.cskit.core.metrics.MediaStatsSource}. Everything that changes per packet or per frame is read when
 * the registry is scraped, from counters its owner keeps anyway.
 */
package dev.cskit.core.metrics;
