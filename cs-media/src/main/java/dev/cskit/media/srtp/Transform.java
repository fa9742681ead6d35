/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.srtp;

/**
 * The cryptographic half of an SRTP context for one profile: it knows the session keys and the
 * packet layout of its profile, while {@link SrtpContext} owns indices and replay state. Offsets
 * are absolute in {@code buf}; lengths are validated by the caller. Not thread-safe.
 */
interface Transform {
    /** Encrypts the payload after {@code hdrLen} and appends the tag; returns the new length. */
    int protectRtp(byte[] buf, int off, int hdrLen, int len, int ssrc, long index);

    /** Authenticates {@code len} bytes (tag included) and decrypts in place; false if forged. */
    boolean unprotectRtp(byte[] buf, int off, int hdrLen, int len, int ssrc, long index);

    /** Encrypts after the 8-byte header, appends E||index and the tag; returns the new length. */
    int protectRtcp(byte[] buf, int off, int len, int ssrc, int eIndex);

    /** Position, relative to {@code off}, of the E||SRTCP index word in a protected packet. */
    int rtcpIndexOffset(int len);

    /** Authenticates and (if E is set) decrypts; returns the plain length or -1 if forged. */
    int unprotectRtcp(byte[] buf, int off, int len, int ssrc, int eIndex);
}
