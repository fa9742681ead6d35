/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.whip;

import java.util.List;

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

    /**
     * A player cannot decode what its stream's publisher sends: {@code publisherCodec} (e.g. {@code VP8}) is not
     * among {@code playerCodecs}, the codecs the player's offer allowed. Those packets are not forwarded (they are
     * counted as the player's dropped packets) until a publisher sends a codec the player has. Called once per
     * player and publisher, when both are known.
     */
    default void onCodecMismatch(PeerStats player, String kind, String publisherCodec, List<String> playerCodecs) {
    }
}
