/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.testkit;

import java.util.Optional;

/** One m-section of the server's answer, as a {@link ClientPeer} read it. */
public record AnsweredMedia(String mid, String kind, int payloadType, Optional<Long> ssrc) {
}
