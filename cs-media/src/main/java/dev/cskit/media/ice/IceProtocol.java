/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.ice;

import java.util.Locale;

/**
 * The transport of an ICE candidate and of the packets of a candidate pair (RFC 8839 §5.1 {@code transport}): UDP
 * datagrams, or RFC 4571 frames on an ICE-TCP connection (RFC 6544), which the peer's address names.
 */
public enum IceProtocol {
    UDP, TCP;

    /** {@code udp} or {@code tcp}, as SDP and the room reports spell it. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
