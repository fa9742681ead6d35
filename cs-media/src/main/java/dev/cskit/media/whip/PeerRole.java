/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.whip;

/** Which way media flows on a peer connection, seen from the client. */
public enum PeerRole {
    /** WHIP: the client publishes its stream. */
    PUBLISH,
    /** WHEP: the client plays a stream. */
    PLAY
}
