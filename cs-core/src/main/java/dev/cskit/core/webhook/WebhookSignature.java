/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Standard Webhooks signature (https://www.standardwebhooks.com/, "Signature scheme"): the signed content is
 * {@code id + "." + timestamp + "." + body}, the signature {@code v1,} followed by the base64 of its HMAC-SHA256
 * under the endpoint's key. Stateless and thread-safe.
 */
public final class WebhookSignature {

    /** The request headers of a delivery. */
    public static final String ID = "webhook-id";
    public static final String TIMESTAMP = "webhook-timestamp";
    public static final String SIGNATURE = "webhook-signature";

    private WebhookSignature() {
    }

    /**
     * The {@code webhook-signature} value.
     *
     * @param key       the endpoint's key ({@link dev.cskit.api.webhook.WebhookEndpoint#key()})
     * @param id        the {@code webhook-id}
     * @param timestamp the {@code webhook-timestamp}, unix seconds
     * @param body      the request body, as sent
     */
    public static String sign(byte[] key, String id, long timestamp, byte[] body) {
        Mac mac;
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
        mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        mac.update(body);
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal());
    }
}
