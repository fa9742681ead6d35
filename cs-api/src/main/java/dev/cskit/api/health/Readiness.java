/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.health;

import java.util.Objects;

/**
 * Whether a part of a server (a plugin, its store, a host component) can take traffic now, and if not, why: what a
 * readiness probe ({@code GET /readyz}) reports. Immutable.
 *
 * @param ready  whether it can take traffic
 * @param reason why not, for an operator (empty when ready)
 */
public record Readiness(boolean ready, String reason) {

    /** Ready. */
    public static final Readiness READY = new Readiness(true, "");

    public Readiness {
        Objects.requireNonNull(reason, "reason");
        if (!ready && reason.isBlank()) {
            throw new IllegalArgumentException("say why it is not ready");
        }
    }

    /** Not ready, for this reason (e.g. {@code the media port is not bound}). */
    public static Readiness notReady(String reason) {
        return new Readiness(false, reason);
    }
}
