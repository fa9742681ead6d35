/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.http;

/** Why a {@link BodySink} got {@link BodySink#onAbort}. */
public enum BodyAbort {
    /** The body crossed the route's limit; the host answers {@code 413}. */
    TOO_LARGE,
    /** The connection closed before the body ended: the client went away, or the host's body deadline expired. */
    CONNECTION_CLOSED,
    /** A call on the sink threw; the host answers {@code 500}. */
    FAILED
}
