/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */

/**
 * RTP (RFC 3550) flyweight views with RFC 8285 header extensions, for reading and in-place rewriting in a
 * forwarder without per-packet allocation.
 */
package dev.cskit.media.rtp;
