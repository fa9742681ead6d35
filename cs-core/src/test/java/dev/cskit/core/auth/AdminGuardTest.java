/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.api.http.HttpRequest;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class AdminGuardTest {

    private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 50000);

    private static HttpRequest.Builder local(String host) {
        HttpRequest.Builder b = HttpRequest.newBuilder("GET", "/customer-service/sessions/cs_1/links")
                .remoteAddress(LOOPBACK);
        return host == null ? b : b.header("Host", host);
    }

    @Test
    void loopbackShortcutTakesLocalHostNamesAndCurlWithoutOrigin() {
        AdminGuard g = new AdminGuard(null);
        for (String host : new String[] {"localhost:8080", "LOCALHOST", "127.0.0.1:8080", "[::1]:8080", "[::1]", null}) {
            assertTrue(g.check(local(host).build()).isEmpty(), String.valueOf(host));
        }
    }

    @Test
    void dnsRebindingIsRefused() {
        // A page of evil.example whose DNS name now points to 127.0.0.1: the browser still sends its own name.
        AdminGuard.Refusal no = new AdminGuard(null).check(local("evil.example:8080").build()).orElseThrow();
        assertEquals(403, no.status());
        assertTrue(no.message().contains("evil.example:8080"), no.message());
        assertTrue(new AdminGuard(null).check(local("localhost.evil.example").build()).isPresent());
        assertTrue(new AdminGuard(null).check(local("127.0.0.1.nip.io").build()).isPresent());
    }

    @Test
    void publicUrlHostCountsAsLocalForTheShortcut() {
        AdminGuard g = new AdminGuard("", "https://CS.example.com:8443/base");
        assertTrue(g.check(local("cs.example.com:8443").build()).isEmpty());
        assertTrue(g.check(local("localhost").build()).isEmpty());
        assertTrue(g.check(local("other.example.com").build()).isPresent());
        assertThrows(IllegalArgumentException.class, () -> new AdminGuard(null, "cs.example.com"));
    }

    @Test
    void requestsThroughAProxyNeedTheToken() {
        AdminGuard g = new AdminGuard(null);
        // nginx on the same machine: the TCP peer is loopback, the client is not known to be.
        assertEquals(403, g.check(local("localhost").header("X-Forwarded-For", "127.0.0.1").build())
                .orElseThrow().status());
        assertEquals(403, g.check(local("localhost").header("Forwarded", "for=127.0.0.1").build())
                .orElseThrow().status());
        // A configured trusted proxy that forwarded a loopback client is still a proxy.
        assertEquals(403, g.check(local("localhost").viaTrustedProxy(true).build()).orElseThrow().status());
    }

    @Test
    void nonLoopbackClientsAreRefusedWithoutToken() {
        HttpRequest r = local("localhost").remoteAddress(new InetSocketAddress("192.0.2.1", 1)).build();
        assertEquals(403, new AdminGuard(null).check(r).orElseThrow().status());
    }

    @Test
    void withATokenOnlyTheTokenCounts() {
        AdminGuard g = new AdminGuard("s3cret");
        assertEquals(401, g.check(local("localhost").build()).orElseThrow().status());
        assertEquals(403, g.check(local("localhost").header("Authorization", "Bearer nope").build())
                .orElseThrow().status());
        assertTrue(g.check(local("evil.example").header("X-Forwarded-For", "1.2.3.4")
                .header("Authorization", "Bearer s3cret").build()).isEmpty());
    }
}
