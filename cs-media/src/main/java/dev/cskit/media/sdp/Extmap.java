/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.sdp;

/**
 * An {@code a=extmap} line (RFC 8285 §8): {@code a=extmap:<id>[/<direction>] <uri> [<attributes>]}.
 *
 * @param id 1–255 (1–14 for the one-byte header form)
 * @param direction the optional direction ("" when absent)
 * @param uri the extension URI
 */
public record Extmap(int id, String direction, String uri) {
}
