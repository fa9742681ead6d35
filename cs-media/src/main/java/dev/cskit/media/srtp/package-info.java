/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
/**
 * SRTP and SRTCP (RFC 3711) with the AES_CM_128_HMAC_SHA1_80 and AEAD_AES_128_GCM (RFC 7714)
 * protection profiles. Entry point: {@link dev.cskit.media.srtp.SrtpContext}, one per direction;
 * per-packet calls return result codes ({@link dev.cskit.media.srtp.SrtpResult}). AES-CM allocates
 * nothing per packet; AEAD_AES_128_GCM runs on the JDK's {@code AES/GCM/NoPadding} for its hardware
 * GHASH and leaves about 2 kB of short-lived garbage per packet (see BENCHMARKS.md).
 */
package dev.cskit.media.srtp;
