/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.sdp;

/**
 * A session description that cannot be parsed or answered. {@link #line()} is the 1-based line the
 * problem is on (0 when it concerns the whole description); the message says what is wrong and is
 * safe to return to the client (e.g. in a WHIP 400 body).
 */
public final class SdpException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int line;
    private final String reason;

    /** A problem on {@code line} (0 for the whole description). */
    public SdpException(int line, String reason) {
        super(line > 0 ? "SDP line " + line + ": " + reason : "SDP: " + reason);
        this.line = line;
        this.reason = reason;
    }

    /** The 1-based line number, or 0. */
    public int line() {
        return line;
    }

    /** What is wrong, without the line prefix. */
    public String reason() {
        return reason;
    }
}
