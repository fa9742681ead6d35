/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.whip;

import java.util.Locale;

/** Where a peer connection (a WHIP or WHEP resource) is in its life. */
public enum PeerState {
    /** Created, the handshake not started yet. */
    NEW,
    /** Waiting for ICE and the DTLS handshake. */
    CONNECTING,
    /** DTLS completed: media flows. */
    CONNECTED,
    /** Ended by its owner: deleted, replaced, the call ended or the engine closed. */
    CLOSED,
    /** Ended by the network: see {@link GoneReason}. */
    FAILED;

    /** The lowercase name used in room reports, e.g. {@code connected}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
