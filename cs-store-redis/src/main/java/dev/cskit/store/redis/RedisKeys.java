/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.store.redis;

import dev.cskit.api.session.SessionStatus;
import java.util.Locale;

/** The Redis keys of one {@link RedisSessionStore}: its prefix, and this node's outbox. */
final class RedisKeys {
    final String prefix;
    final String all;
    final String counts;
    final String outbox;
    final String outboxOrder;
    final String outboxSeq;

    RedisKeys(String prefix, String nodeId) {
        this.prefix = prefix;
        this.all = prefix + "sessions";
        this.counts = prefix + "counts";
        this.outbox = prefix + "node:" + nodeId + ":outbox";
        this.outboxOrder = outbox + ":order";
        this.outboxSeq = outbox + ":seq";
    }

    String session(String id) {
        return prefix + "session:" + id;
    }

    String status(SessionStatus status) {
        return all + ":" + status.name().toLowerCase(Locale.ROOT);
    }
}
