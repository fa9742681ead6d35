/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.whip;

/**
 * What the engine tells its owner about peer connections. Default no-ops.
 *
 * <p><b>Threading:</b> called on the media loop's thread that owns the peer ({@link MediaLoop}), after the state
 * change it reports; must not block and must not throw. It may call the engine about the peer's own session (that
 * runs at once, on the same loop) but not about a session of another loop.
 */
public interface MediaListener {

    /** DTLS completed: media can flow. */
    default void onConnected(PeerStats peer) {
    }

    /** The network ended the peer (see {@link GoneReason}). The resource has been removed. */
    default void onGone(PeerStats peer, GoneReason reason) {
    }
}
