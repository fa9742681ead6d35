/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */

/**
 * What a {@link dev.cskit.netty.NettyHost} counts ({@link dev.cskit.netty.stats.HostCounters}), readable by a
 * metrics endpoint. Depends on nothing else of the host, so its handlers and its public API can share it.
 */
package dev.cskit.netty.stats;
