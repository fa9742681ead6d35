/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.stun;

/** Result codes of STUN parsing and validation; network input never throws. */
public enum StunStatus {
    /** The message (or the checked attribute) is valid. */
    OK,
    /** Not a well-formed STUN message: bad header, cookie, length or attribute layout (RFC 8489 §5, §14). */
    MALFORMED,
    /** No MESSAGE-INTEGRITY attribute where one is required. */
    NO_INTEGRITY,
    /** MESSAGE-INTEGRITY does not verify with the key (RFC 8489 §14.5). */
    BAD_INTEGRITY,
    /** No FINGERPRINT attribute where one is required. */
    NO_FINGERPRINT,
    /** FINGERPRINT does not match the CRC-32 of the message (RFC 8489 §14.7). */
    BAD_FINGERPRINT
}
