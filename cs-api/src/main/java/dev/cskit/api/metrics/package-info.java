/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */

/**
 * The meter facade cskit records its metrics through ({@link dev.cskit.api.metrics.Meters}): counters, gauges and
 * counters read when the registry is read, and histograms. JDK only, so cskit's modules carry no metrics library;
 * an embedder binds it to its own registry (the standalone server binds it to Micrometer's Prometheus registry).
 */
package dev.cskit.api.metrics;
