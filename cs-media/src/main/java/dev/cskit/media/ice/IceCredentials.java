/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.ice;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * An ICE username fragment and password (RFC 8839 §5.4): ufrag 4–256 and pwd 22–256 ice-chars
 * ({@code ALPHA / DIGIT / "+" / "/"}). Immutable and thread-safe.
 *
 * @param ufrag the username fragment
 * @param pwd the password
 */
public record IceCredentials(String ufrag, String pwd) {
    private static final char[] ICE_CHARS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();

    /** Validates both values against RFC 8839 §5.4. */
    public IceCredentials {
        Objects.requireNonNull(ufrag, "ufrag");
        Objects.requireNonNull(pwd, "pwd");
        if (ufrag.length() < 4 || ufrag.length() > 256 || !isIceChars(ufrag)) {
            throw new IllegalArgumentException("ice-ufrag must be 4..256 ice-chars (RFC 8839 §5.4): " + ufrag);
        }
        if (pwd.length() < 22 || pwd.length() > 256 || !isIceChars(pwd)) {
            throw new IllegalArgumentException("ice-pwd must be 22..256 ice-chars (RFC 8839 §5.4)");
        }
    }

    /**
     * Fresh random credentials: an 8-character ufrag (48 bits) and a 24-character pwd (144 bits),
     * above RFC 8445 §5.3's 24 and 128 bits of randomness.
     */
    public static IceCredentials random(SecureRandom random) {
        return new IceCredentials(randomChars(random, 8), randomChars(random, 24));
    }

    /** Whether every character of {@code s} is an ice-char. */
    public static boolean isIceChars(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '+' || c == '/';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static String randomChars(SecureRandom random, int n) {
        char[] out = new char[n];
        for (int i = 0; i < n; i++) {
            out[i] = ICE_CHARS[random.nextInt(ICE_CHARS.length)];
        }
        return new String(out);
    }

    @Override
    public String toString() {
        return "IceCredentials[ufrag=" + ufrag + ", pwd=<redacted>]";
    }
}
