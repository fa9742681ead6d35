/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.metrics;

/** A meter registered with {@link Meters}; cskit removes what it registered when it stops. */
public interface MeterRegistration {

    /** Takes the meter out of the registry; later recordings on it are ignored. Idempotent, thread-safe. */
    void remove();
}
