/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A receiver's check of a Standard Webhooks request, written from the specification
 * (https://www.standardwebhooks.com/) and nothing of cskit's: the key is the base64 after {@code whsec_} (else the
 * secret's UTF-8 bytes), the signed content {@code webhook-id + "." + webhook-timestamp + "." + body}, and
 * {@code webhook-signature} a space-separated list of {@code v1,<base64 HMAC-SHA256>}, one of which must match
 * (compared in constant time); the timestamp must be within 5 minutes of now. Immutable.
 */
final class StandardWebhooksVerifier {

    static final Duration TOLERANCE = Duration.ofMinutes(5);

    /** Why a request was refused. */
    static final class Rejected extends Exception {
        private static final long serialVersionUID = 1L;

        Rejected(String why) {
            super(why);
        }
    }

    private final byte[] key;

    StandardWebhooksVerifier(String secret) {
        this.key = secret.startsWith("whsec_") ? Base64.getDecoder().decode(secret.substring("whsec_".length()))
                : secret.getBytes(StandardCharsets.UTF_8);
    }

    void verify(String id, String timestamp, String signatures, byte[] body, Instant now) throws Rejected {
        if (id == null || id.isEmpty() || timestamp == null || signatures == null) {
            throw new Rejected("missing webhook-id, webhook-timestamp or webhook-signature");
        }
        long ts;
        try {
            ts = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            throw new Rejected("webhook-timestamp is not unix seconds: " + timestamp);
        }
        if (Math.abs(now.getEpochSecond() - ts) > TOLERANCE.toSeconds()) {
            throw new Rejected("webhook-timestamp " + ts + " is more than " + TOLERANCE + " from now");
        }
        byte[] expected;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            expected = mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        for (String s : signatures.trim().split(" +")) {
            int comma = s.indexOf(',');
            if (comma < 0 || !s.substring(0, comma).equals("v1")) {
                continue; // another scheme (e.g. v1a): not ours to check
            }
            byte[] given;
            try {
                given = Base64.getDecoder().decode(s.substring(comma + 1));
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (MessageDigest.isEqual(expected, given)) {
                return;
            }
        }
        throw new Rejected("no v1 signature matches");
    }
}
