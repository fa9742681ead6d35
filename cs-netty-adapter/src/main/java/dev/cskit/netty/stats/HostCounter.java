/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty.stats;

/**
 * What a {@link HostCounters} counts: bad input the host refused or dropped at the connection level, each
 * answered (or closed) without a log line per event. The wire names are stable for metrics.
 */
public enum HostCounter {
    /** A request line, header or URI the parser refused, e.g. a malformed %-escape: 400. */
    BAD_REQUEST("bad_request"),
    /** A request line longer than the limit: 414. */
    URI_TOO_LONG("uri_too_long"),
    /** A header block larger than the limit: 431. */
    HEADERS_TOO_LARGE("headers_too_large"),
    /** A body larger than the limit: 413. */
    BODY_TOO_LARGE("body_too_large"),
    /** An HTTP version other than 1.x in the request line: 505. */
    VERSION_NOT_SUPPORTED("version_not_supported"),
    /** Headers or body not complete within their deadline: 408 and closed. */
    REQUEST_TIMEOUT("request_timeout"),
    /** A state-changing request from a page of another site (an {@code Origin} not allowed): 403. */
    CROSS_SITE_REFUSED("cross_site_refused"),
    /** More pipelined requests than the host queues: closed. */
    PIPELINE_OVERFLOW("pipeline_overflow"),
    /** A connection the client reset or broke (e.g. TCP RST) while the host read or wrote it. */
    CONNECTION_RESET("connection_reset"),
    /** A TLS handshake that failed (plain bytes, unknown CA at the client, no common cipher, timeout). */
    TLS_HANDSHAKE_FAILED("tls_handshake_failed"),
    /** A WebSocket text message that is not valid UTF-8: closed with 1007 (RFC 6455 §8.1). */
    WS_INVALID_UTF8("ws_invalid_utf8"),
    /** Any other WebSocket protocol violation (bad framing, a message too big): closed with 1002/1009. */
    WS_PROTOCOL_ERROR("ws_protocol_error");

    private final String wireName;

    HostCounter(String wireName) {
        this.wireName = wireName;
    }

    /** A stable snake_case name, e.g. {@code request_timeout}, for metrics and logs. */
    public String wireName() {
        return wireName;
    }
}
