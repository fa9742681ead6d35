/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.forward;

/** The kind of an m-section the forwarder carries. */
public enum MediaKind {
    AUDIO,
    VIDEO
}
