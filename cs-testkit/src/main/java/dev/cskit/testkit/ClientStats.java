/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.testkit;

/**
 * A snapshot of a {@link ClientPeer}'s counters.
 *
 * @param stunSent         Binding requests sent
 * @param stunSucceeded    Binding success responses that verified
 * @param stunRejected     STUN responses that did not verify, error responses, stale transactions
 * @param rtpSent          RTP packets protected and sent
 * @param rtcpSent         RTCP packets protected and sent
 * @param rtpReceived      RTP packets that authenticated
 * @param rtcpReceived     RTCP packets that authenticated
 * @param srtpFailed       SRTP/SRTCP packets that failed authentication or replay checks, or arrived before keys
 * @param dropped          other datagrams dropped (unclassifiable, too large)
 */
public record ClientStats(long stunSent, long stunSucceeded, long stunRejected, long rtpSent, long rtcpSent,
                          long rtpReceived, long rtcpReceived, long srtpFailed, long dropped) {
}
