/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */

/**
 * SDP (RFC 8866) parsing into an immutable model and the WHIP/WHEP answerer (JSEP subset, BUNDLE,
 * rtcp-mux, ICE-lite, DTLS passive) with the negotiated parameters a forwarder needs. Errors are
 * {@link dev.cskit.media.sdp.SdpException} with the offending line number.
 */
package dev.cskit.media.sdp;
