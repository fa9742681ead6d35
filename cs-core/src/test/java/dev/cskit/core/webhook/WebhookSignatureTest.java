/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.api.webhook.WebhookEndpoint;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The test vector the Standard Webhooks reference libraries publish (and Svix's, whose scheme it is). */
    @Test
    void reproducesTheStandardWebhooksTestVector() {
        byte[] key = WebhookEndpoint.keyOf("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
                WebhookSignature.sign(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, utf8("{\"test\": 2432232314}")));
    }

    @Test
    void aSecretWithoutThePrefixIsItsUtf8Bytes() {
        String secret = "a plain shared secret";
        assertEquals(WebhookSignature.sign(utf8(secret), "msg_1", 1, utf8("{}")),
                WebhookSignature.sign(WebhookEndpoint.keyOf(secret), "msg_1", 1, utf8("{}")));
    }

    @Test
    void idTimestampAndBodyAreEachSigned() {
        byte[] key = WebhookEndpoint.keyOf("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        String sig = WebhookSignature.sign(key, "msg_1", 100, utf8("{\"a\":1}"));
        assertNotEquals(sig, WebhookSignature.sign(key, "msg_2", 100, utf8("{\"a\":1}")));
        assertNotEquals(sig, WebhookSignature.sign(key, "msg_1", 101, utf8("{\"a\":1}")));
        assertNotEquals(sig, WebhookSignature.sign(key, "msg_1", 100, utf8("{\"a\":2}")));
    }

    @Test
    void badSecretsAndUrlsAreRefusedWithTheReason() {
        URI url = URI.create("https://crm.example.com/hooks");
        String why = assertThrows(IllegalArgumentException.class,
                () -> new WebhookEndpoint(url, "whsec_not base64!", Set.of())).getMessage();
        assertTrue(why.contains("base64"), why);
        assertThrows(IllegalArgumentException.class, () -> new WebhookEndpoint(url, "short", Set.of()));
        assertThrows(IllegalArgumentException.class, () -> new WebhookEndpoint(url, "whsec_c2hvcnQ=", Set.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new WebhookEndpoint(URI.create("ftp://x.example/h"), "a long enough secret", Set.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new WebhookEndpoint(URI.create("/relative"), "a long enough secret", Set.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new WebhookEndpoint(URI.create("https://user:pw@x.example/h"), "a long enough secret", Set.of()));
    }

    @Test
    void theEndpointsToStringHidesTheSecret() {
        String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        String s = new WebhookEndpoint(URI.create("https://crm.example.com/hooks"), secret, Set.of()).toString();
        assertEquals(-1, s.indexOf("MfKQ9r8"), s);
    }
}
