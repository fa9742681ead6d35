/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {

    static final InetSocketAddress PROXY = new InetSocketAddress("10.0.0.2", 40000);
    static final TrustedProxies TRUST = TrustedProxies.parse(List.of("10.0.0.0/8", "::1/128"));

    static TrustedProxies.HeaderLookup headers(String... nameValue) {
        Map<String, List<String>> m = new HashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            m.computeIfAbsent(nameValue[i], k -> new java.util.ArrayList<>()).add(nameValue[i + 1]);
        }
        return name -> m.getOrDefault(name, List.of());
    }

    static String ip(TrustedProxies.Client c) {
        return c.address().getAddress().getHostAddress();
    }

    @Test
    void cidrBlocksMatchByPrefix() {
        TrustedProxies t = TrustedProxies.parse(List.of("192.0.2.128/25", "127.0.0.1", "fd00::/8"));
        assertTrue(t.trusts(new InetSocketAddress("192.0.2.200", 0).getAddress()));
        assertFalse(t.trusts(new InetSocketAddress("192.0.2.127", 0).getAddress()));
        assertTrue(t.trusts(new InetSocketAddress("127.0.0.1", 0).getAddress()));
        assertFalse(t.trusts(new InetSocketAddress("127.0.0.2", 0).getAddress()));
        assertTrue(t.trusts(new InetSocketAddress("fd12::1", 0).getAddress()));
        for (String bad : List.of("10.0.0.0/33", "proxy.example.com", "10.0.0/8", "::1/129", "")) {
            assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse(List.of(bad)), bad);
        }
    }

    @Test
    void rfc7239ForwardedNamesClientProtoAndHost() {
        // RFC 7239 §4 examples, quoted IPv6 node with a port, and the proxy's own hop at the end.
        TrustedProxies.Client c = TRUST.resolve(PROXY, false, headers("forwarded",
                "for=\"[2001:db8:cafe::17]:4711\";proto=https;host=cs.example.com, for=10.0.0.9;proto=http"));
        assertEquals("2001:db8:cafe:0:0:0:0:17", ip(c));
        assertTrue(c.secure());
        assertEquals("cs.example.com", c.authority());
        assertTrue(c.viaTrustedProxy());
    }

    @Test
    void xForwardedHeadersNameTheRightMostUntrustedHop() {
        // A client that forged its own X-Forwarded-For: only the hop the trusted proxy added is believed.
        TrustedProxies.Client c = TRUST.resolve(PROXY, false, headers("x-forwarded-for", "6.6.6.6, 203.0.113.5",
                "x-forwarded-proto", "https", "x-forwarded-host", "cs.example.com", "x-forwarded-port", "8443"));
        assertEquals("203.0.113.5", ip(c));
        assertTrue(c.secure());
        assertEquals("cs.example.com:8443", c.authority());
    }

    @Test
    void headersFromAPeerThatIsNotTrustedAreIgnored() {
        InetSocketAddress stranger = new InetSocketAddress("198.51.100.7", 5000);
        TrustedProxies.Client c = TRUST.resolve(stranger, false, headers("x-forwarded-for", "127.0.0.1",
                "x-forwarded-proto", "https", "forwarded", "for=127.0.0.1"));
        assertEquals(stranger, c.address());
        assertFalse(c.secure());
        assertNull(c.authority());
        assertFalse(c.viaTrustedProxy());
        assertFalse(TrustedProxies.NONE.resolve(PROXY, true, headers("x-forwarded-proto", "http")).viaTrustedProxy());
        assertTrue(TrustedProxies.NONE.resolve(PROXY, true, headers()).secure(), "TLS to us is https");
    }

    @Test
    void garbageInForwardingHeadersIsIgnoredNotResolved() {
        TrustedProxies.Client c = TRUST.resolve(PROXY, false, headers("x-forwarded-for", "evil.example.com",
                "x-forwarded-proto", "gopher", "x-forwarded-host", "a b/c"));
        assertEquals(PROXY, c.address(), "a name is never looked up; the proxy stays the known peer");
        assertFalse(c.secure());
        assertNull(c.authority());
        assertTrue(c.viaTrustedProxy());
        TrustedProxies.Client unknown = TRUST.resolve(PROXY, false, headers("forwarded", "for=unknown;proto=https"));
        assertEquals(PROXY, unknown.address());
        assertTrue(unknown.secure());
    }

    @Test
    void aChainOfTrustedProxiesResolvesToTheFirstUntrustedHop() {
        TrustedProxies.Client c = TRUST.resolve(PROXY, false, headers("x-forwarded-for", "203.0.113.5, 10.1.1.1, 10.2.2.2"));
        assertEquals("203.0.113.5", ip(c));
    }
}
