/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.session;

import java.security.SecureRandom;

/**
 * Fresh random ids: {@code cs_} + 24 base32 characters for sessions (120 bits), {@code cust_} + 16 for
 * customers (80 bits), lower-case RFC 4648 §6 alphabet without padding. Thread-safe.
 */
final class SessionIds {

    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private final SecureRandom random = new SecureRandom();

    String sessionId() {
        return "cs_" + randomBase32(15);
    }

    String customerId() {
        return "cust_" + randomBase32(10);
    }

    private String randomBase32(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        StringBuilder sb = new StringBuilder(bytes * 8 / 5 + 1);
        int buffer = 0;
        int bits = 0;
        for (byte x : b) {
            buffer = (buffer << 8) | (x & 0xff);
            bits += 8;
            while (bits >= 5) {
                sb.append(BASE32[(buffer >>> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) {
            sb.append(BASE32[(buffer << (5 - bits)) & 31]);
        }
        return sb.toString();
    }
}
