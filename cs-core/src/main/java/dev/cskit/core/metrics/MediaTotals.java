/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.metrics;

import java.util.Map;

/**
 * The media engine's counts at one moment, summed over every peer connection since the engine started (ended ones
 * included), except the gauge {@code connectedByTransport}. Immutable.
 *
 * @param packetsReceived      RTP packets received and authenticated
 * @param bytesReceived        their bytes
 * @param packetsSent          RTP packets sent to players
 * @param bytesSent            their bytes
 * @param nacksAnswered        retransmissions sent for NACKs (RFC 4585)
 * @param keyframeRequests     PLI/FIR sent to publishers
 * @param datagramsReceived    every datagram the media port handed the engine
 * @param droppedByReason      datagrams dropped, by reason (the keys are {@link MediaStatsSource#dropReasons()})
 * @param srtpFailures         SRTP packets that failed authentication or replay checks
 * @param srtcpFailures        SRTCP packets that failed authentication or replay checks
 * @param handshakes           DTLS handshakes by outcome
 * @param connectedByTransport peer connections connected now, by the ICE transport in use
 */
public record MediaTotals(long packetsReceived, long bytesReceived, long packetsSent, long bytesSent,
                          long nacksAnswered, long keyframeRequests, long datagramsReceived,
                          Map<String, Long> droppedByReason, long srtpFailures, long srtcpFailures,
                          Map<HandshakeOutcome, Long> handshakes, Map<IceTransport, Long> connectedByTransport) {

    public MediaTotals {
        droppedByReason = Map.copyOf(droppedByReason);
        handshakes = Map.copyOf(handshakes);
        connectedByTransport = Map.copyOf(connectedByTransport);
    }

    /** How a DTLS handshake ended. */
    public enum HandshakeOutcome {
        /** Completed: SRTP keys exported. */
        OK,
        /** Failed (bad fingerprint, no common profile, alert, DTLS timeout). */
        FAILED,
        /** The peer never connected (no ICE check or no handshake before the engine gave up). */
        TIMEOUT;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The ICE transport a peer connection uses. */
    public enum IceTransport {
        UDP, TCP;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
