/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.dtls;

/**
 * Lifecycle callbacks of a {@link DtlsEndpoint}. All methods have no-op defaults.
 *
 * <p>Threading: called on the endpoint's executor (the handshake or post-handshake drain task),
 * or on the thread calling {@link DtlsEndpoint#close()}; never concurrently for one endpoint
 * except that {@code close()} may race the executor. Implementations must not block for long and
 * should not throw (exceptions are caught and logged).
 */
public interface DtlsListener {
    /** The handshake succeeded; SRTP contexts are ready. Called exactly once, before any other event. */
    default void onConnected(DtlsSrtpKeys keys) {
    }

    /** The handshake or the connection failed (timeout, alert, fingerprint mismatch, closed early). */
    default void onFailed(Throwable cause) {
    }

    /** The peer sent close_notify after a successful handshake. */
    default void onClosedByPeer() {
    }
}
