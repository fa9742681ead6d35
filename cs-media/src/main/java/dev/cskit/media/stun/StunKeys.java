/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.stun;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * STUN's message-integrity keys (RFC 8489 §9) and the {@code HmacSHA1} {@link Mac} that
 * {@link StunMessage#verifyIntegrity(Mac)} and {@link StunWriter} take. Stateless; each call allocates.
 */
public final class StunKeys {

    private StunKeys() {
    }

    /** A new {@code HmacSHA1} Mac initialised with {@code key}. */
    public static Mac hmacSha1(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is required of every Java platform", e);
        }
    }

    /** RFC 8489 §9.1.1: the short-term credential key is the (SASLprep-ed) password; ICE passwords are ASCII. */
    public static byte[] shortTermKey(String password) {
        return password.getBytes(StandardCharsets.UTF_8);
    }

    /** RFC 8489 §9.2.2: the long-term key MD5(username ":" realm ":" password) (no SASLprep applied). */
    public static byte[] longTermKey(String username, String realm, String password) {
        try {
            return MessageDigest.getInstance("MD5")
                    .digest((username + ":" + realm + ":" + password).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required of every Java platform", e);
        }
    }
}
