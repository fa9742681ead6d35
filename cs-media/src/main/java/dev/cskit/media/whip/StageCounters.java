/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.whip;

/**
 * What one pipeline {@link Stage} handled, summed over the media loops.
 *
 * @param in      packets that entered the stage (FAN_OUT and PROTECT: copies, one per player)
 * @param out     packets it passed on
 * @param dropped packets it dropped, for one of the {@link MediaEngine.Counter} reasons of the stage
 */
public record StageCounters(long in, long out, long dropped) {
}
