/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
/**
 * Call recording: depacketizers that turn plain (already unprotected) RTP into codec frames, container writers
 * that ffmpeg/ffprobe read (Ogg Opus, IVF VP8, Annex B H.264), and {@link dev.cskit.media.record.TrackRecorder},
 * which moves packets off the network thread through a bounded queue and writes them on the caller's executor.
 */
package dev.cskit.media.record;
