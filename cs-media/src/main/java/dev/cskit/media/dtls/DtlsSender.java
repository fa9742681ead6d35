/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.dtls;

/**
 * Sends one DTLS datagram to the peer (typically over the ICE-selected UDP path).
 *
 * <p>Threading: called from the endpoint's executor or from {@link DtlsEndpoint#close()}; may be
 * called from different threads over time but not concurrently for one endpoint except during
 * {@code close()}. Must not block for long. The array is reused after return: copy what you keep.
 */
@FunctionalInterface
public interface DtlsSender {
    void send(byte[] buf, int off, int len);
}
