/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */

/**
 * Implementation of {@link dev.cskit.netty.NettyHost}: pipeline handlers, the route table, the room registry.
 * <b>Unsupported API:</b> public only so the handlers can be tested on {@code EmbeddedChannel}s; it may change
 * in any release. Use {@code NettyHost} and the cs-api interfaces instead.
 */
package dev.cskit.netty.internal;
