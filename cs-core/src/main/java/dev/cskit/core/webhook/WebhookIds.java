/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.webhook;

import java.security.SecureRandom;
import java.time.Instant;

/**
 * Ids of events ({@code msg_…}) and deliveries ({@code dlv_…}): 48 bits of milliseconds then 80 random bits, in
 * 26 Crockford base32 characters (a ULID), so they sort by time and never repeat. Thread-safe.
 */
final class WebhookIds {

    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    private final SecureRandom random = new SecureRandom();

    String event(Instant at) {
        return "msg_" + ulid(at);
    }

    String delivery(Instant at) {
        return "dlv_" + ulid(at);
    }

    private String ulid(Instant at) {
        byte[] r = new byte[10];
        random.nextBytes(r);
        char[] out = new char[26];
        long time = at.toEpochMilli() & 0xFFFF_FFFF_FFFFL;
        for (int i = 9; i >= 0; i--) { // 10 characters: 50 bits, the top 2 zero
            out[i] = CROCKFORD[(int) (time & 31)];
            time >>>= 5;
        }
        long hi = 0;
        for (int i = 0; i < 5; i++) {
            hi = (hi << 8) | (r[i] & 0xff);
        }
        long lo = 0;
        for (int i = 5; i < 10; i++) {
            lo = (lo << 8) | (r[i] & 0xff);
        }
        for (int i = 17; i >= 10; i--) { // 40 bits each: 8 characters
            out[i] = CROCKFORD[(int) (hi & 31)];
            hi >>>= 5;
        }
        for (int i = 25; i >= 18; i--) {
            out[i] = CROCKFORD[(int) (lo & 31)];
            lo >>>= 5;
        }
        return new String(out);
    }
}
