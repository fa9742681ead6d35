/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.whip;

/** Why the network ended a peer connection ({@link MediaListener#onGone}). */
public enum GoneReason {
    /** RFC 7675 §5.1: no valid connectivity check within the consent timeout: the client is gone. */
    CONSENT_EXPIRED,
    /** ICE or the DTLS handshake did not complete within the handshake timeout. */
    NEVER_CONNECTED,
    /** The DTLS handshake failed (bad fingerprint, no common SRTP profile, a fatal alert, a timeout). */
    DTLS_FAILED,
    /** The client closed the DTLS association (close_notify). */
    DTLS_CLOSED_BY_PEER
}
