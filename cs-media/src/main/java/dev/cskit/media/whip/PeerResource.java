/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.whip;

/**
 * A created WHIP or WHEP resource: what to answer the client.
 *
 * @param id        the resource id, for the {@code Location} URL and {@link MediaEngine#delete}
 * @param answerSdp the SDP answer
 * @param etag      an entity tag for the resource (RFC 9725 §4.3.1)
 */
public record PeerResource(String id, String answerSdp, String etag) {
}
