/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.dtls;

/** Why a DTLS endpoint's handshake or connection failed; delivered to {@link DtlsListener#onFailed}. */
public final class DtlsException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Failure kinds. */
    public enum Kind {
        /** No handshake completed within the configured timeout. */
        TIMEOUT,
        /** The peer's certificate does not match the fingerprint from its SDP (RFC 8122 §5), or it sent none. */
        FINGERPRINT_MISMATCH,
        /** The peer offered no SRTP protection profile we accept, or no use_srtp extension (RFC 5764 §4.1). */
        NO_COMMON_SRTP_PROFILE,
        /** The peer sent a fatal alert. */
        ALERT_RECEIVED,
        /** {@link DtlsEndpoint#close()} was called before the handshake finished. */
        CLOSED,
        /** Any other protocol or I/O error. */
        PROTOCOL
    }

    private final Kind kind;

    public DtlsException(Kind kind, String message, Throwable cause) {
        super(kind + ": " + message, cause);
        this.kind = kind;
    }

    /** The failure kind. */
    public Kind kind() {
        return kind;
    }
}
