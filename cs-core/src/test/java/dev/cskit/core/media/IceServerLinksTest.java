/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.media;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cskit.api.media.IceConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 9725 §4.6 Link values, and coturn's use-auth-secret (TURN REST) credentials. */
class IceServerLinksTest {

    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_599_996_400L), ZoneOffset.UTC);

    @Test
    void restCredentialIsBase64OfHmacSha1OfTheUsername() {
        // echo -n "1600000000:alice" | openssl dgst -sha1 -hmac north -binary | base64
        assertEquals("gq98pTOhhHaAu0we9aV79kOVVv0=", IceServerLinks.restCredential("north", "1600000000:alice"));
    }

    @Test
    void eachUrlIsOneLinkAndEphemeralTurnCredentialsExpireAfterTheTtl() {
        IceServerLinks links = new IceServerLinks(new IceConfig(List.of(
                new IceConfig.Server(List.of("stun:stun.example.net"), null, null),
                new IceConfig.Server(List.of("turn:t.example.net:3478?transport=udp", "turns:t.example.net:5349"), null,
                        null),
                new IceConfig.Server(List.of("turn:static.example.net"), "u1", "p1")),
                "north", Duration.ofSeconds(3600), IceConfig.Policy.RELAY), CLOCK);
        String cred = "credential=\"gq98pTOhhHaAu0we9aV79kOVVv0=\"; credential-type=\"password\"";
        assertEquals(List.of(
                "<stun:stun.example.net>; rel=\"ice-server\"",
                "<turn:t.example.net:3478?transport=udp>; rel=\"ice-server\"; username=\"1600000000:alice\"; " + cred,
                "<turns:t.example.net:5349>; rel=\"ice-server\"; username=\"1600000000:alice\"; " + cred,
                "<turn:static.example.net>; rel=\"ice-server\"; username=\"u1\"; credential=\"p1\"; "
                        + "credential-type=\"password\""), links.forUser("alice"));
        assertEquals(List.of("<stun:stun.example.net>; rel=\"ice-server\"",
                "<turn:static.example.net>; rel=\"ice-server\"; username=\"u1\"; credential=\"p1\"; "
                        + "credential-type=\"password\""), links.forUser(null),
                "no ephemeral credentials for a client that is no party");
        assertEquals(IceConfig.Policy.RELAY, links.policy());
    }
}
