/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
/**
 * SRTP and SRTCP (RFC 3711) with the AES_CM_128_HMAC_SHA1_80 and AEAD_AES_128_GCM (RFC 7714)
 * protection profiles. Entry point: {@link dev.cskit.media.srtp.SrtpContext}, one per direction;
 * per-packet calls return result codes ({@link dev.cskit.media.srtp.SrtpResult}). Neither profile
 * allocates per packet: AES runs on the JDK's intrinsics through reused {@code AES/ECB} ciphers,
 * HMAC-SHA1 on reused {@code SHA-1} digests, and GCM's GHASH either on the JDK's carry-less-multiply
 * intrinsic, when the JVM opens {@code java.base/com.sun.crypto.provider} to cskit
 * ({@code --add-opens}), or else on per-key tables in Java (16 KiB per RTP key, 4 KiB per RTCP key,
 * built at the first packet), where a 1200 B packet costs about 2.3 times the CPU; see BENCHMARKS.md.
 */
package dev.cskit.media.srtp;
