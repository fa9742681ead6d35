/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.webhook;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One webhook receiver ({@code customer_service.webhooks[]}): where events are POSTed, the secret they are signed
 * with (Standard Webhooks), and which events it hears. The URL is the endpoint's identity: deliveries kept across a
 * restart go to the endpoint of the same URL.
 *
 * @param url    an absolute {@code http} or {@code https} URL
 * @param secret the signing secret: {@code whsec_} followed by base64 (the key is the decoded bytes), or any other
 *               text of at least 16 characters (the key is its UTF-8 bytes)
 * @param events the events it hears; empty means every event
 */
public record WebhookEndpoint(URI url, String secret, Set<WebhookEventType> events) {

    /** The Standard Webhooks prefix of a base64 secret. */
    public static final String SECRET_PREFIX = "whsec_";
    /** The shortest key accepted, in bytes. */
    public static final int MIN_KEY_BYTES = 16;

    public WebhookEndpoint {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(events, "events");
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!url.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
            throw new IllegalArgumentException("webhook url '" + url + "' must be an absolute http:// or https:// URL");
        }
        if (url.getRawUserInfo() != null) {
            throw new IllegalArgumentException("webhook url '" + url.getHost() + "…' must not carry credentials; "
                    + "requests are authenticated by their signature");
        }
        keyOf(secret); // validates
        events = events.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(events));
    }

    /** Whether this endpoint hears {@code type}. */
    public boolean accepts(WebhookEventType type) {
        return events.isEmpty() || events.contains(type);
    }

    /** The HMAC key of the secret. */
    public byte[] key() {
        return keyOf(secret);
    }

    /**
     * The HMAC key of a secret: the base64 after {@value #SECRET_PREFIX}, else the UTF-8 bytes.
     *
     * @throws IllegalArgumentException if the secret is too short or its base64 is malformed
     */
    public static byte[] keyOf(String secret) {
        byte[] key;
        if (secret.startsWith(SECRET_PREFIX)) {
            try {
                key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("a webhook secret that starts with " + SECRET_PREFIX
                        + " must be base64 after it", e);
            }
        } else {
            key = secret.getBytes(StandardCharsets.UTF_8);
        }
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("a webhook secret must give a key of at least " + MIN_KEY_BYTES
                    + " bytes (e.g. whsec_ and the base64 of 24 random bytes)");
        }
        return key;
    }

    /** The URL and events, never the secret. */
    @Override
    public String toString() {
        return "WebhookEndpoint[url=" + url + ", events=" + (events.isEmpty() ? "all" : events) + "]";
    }
}
