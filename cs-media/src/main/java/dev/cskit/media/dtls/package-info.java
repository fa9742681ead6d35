/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
/**
 * DTLS-SRTP (RFC 5764) over BouncyCastle: {@link dev.cskit.media.dtls.DtlsCertificate} (self-signed
 * ECDSA P-256 and its RFC 8122 fingerprint) and {@link dev.cskit.media.dtls.DtlsEndpoint}, one per
 * peer connection, which turns a handshake into ready {@link dev.cskit.media.srtp.SrtpContext}s.
 */
package dev.cskit.media.dtls;
