/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.whip;

/**
 * What the engine tells its owner about peer connections. Default no-ops.
 *
 * <p><b>Threading:</b> called from the engine's network thread, the handshake executor or the thread that
 * calls {@link MediaEngine#checkConsent}; must not block and must not throw.
 */
public interface MediaListener {

    /** DTLS completed: media can flow. */
    default void onConnected(PeerStats peer) {
    }

    /** The network ended the peer (see {@link GoneReason}). The resource has been removed. */
    default void onGone(PeerStats peer, GoneReason reason) {
    }
}
