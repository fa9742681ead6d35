/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.sdp;

/**
 * The answer to send back ({@code application/sdp}, CRLF line ends) and what it negotiated.
 *
 * @param sdp the answer text
 * @param negotiated the agreed parameters
 */
public record SdpAnswer(String sdp, NegotiatedSession negotiated) {
}
