/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */

/**
 * Test tooling for cskit's media path, kept out of the shipped {@code cs-media} jar: a minimal client-side
 * WebRTC peer ({@link dev.cskit.testkit.ClientPeer}): WHIP/WHEP offer, ICE as the controlling agent, DTLS-SRTP
 * client, SRTP send and receive over a caller-supplied datagram transport. For tests, the load harness and
 * benchmarks; not a browser replacement (no jitter buffer, no congestion control).
 */
package dev.cskit.testkit;
