/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostCandidatesTest {

    private static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static List<InetAddress> ips(String... s) {
        List<InetAddress> out = new ArrayList<>();
        for (String a : s) {
            out.add(ip(a));
        }
        return out;
    }

    // lo listed first (as Linux does), a LAN card with IPv4, a global and a link-local IPv6, a down card, a VPN.
    private static final List<HostCandidates.Interface> HOST = List.of(
            new HostCandidates.Interface("lo", true, true, ips("::1", "127.0.0.1")),
            new HostCandidates.Interface("eth0", true, false,
                    ips("fe80::1%1", "2001:db8::10", "192.0.2.10", "169.254.3.4")),
            new HostCandidates.Interface("eth1", false, false, ips("198.51.100.9", "2001:db8::99")),
            new HostCandidates.Interface("tun0", true, false, ips("10.8.0.2", "fd00::2")));

    @Test
    void dualStackWildcardAdvertisesIpv4ThenIpv6ThenLoopbackWithoutLinkLocalOrDownInterfaces() throws Exception {
        HostCandidates c = HostCandidates.interfaces(() -> HOST);
        assertEquals(ips("192.0.2.10", "10.8.0.2", "2001:db8::10", "fd00::2", "127.0.0.1", "::1"),
                c.addresses(ip("::")));
        assertTrue(c.fromInterfaces());
        assertTrue(c.wantsIpv6());
    }

    @Test
    void ipv4WildcardAdvertisesNoIpv6() throws Exception {
        assertEquals(ips("192.0.2.10", "10.8.0.2", "127.0.0.1"),
                HostCandidates.interfaces(() -> HOST).addresses(ip("0.0.0.0")));
    }

    @Test
    void aSpecificBindAddressIsTheOnlyCandidate() throws Exception {
        assertEquals(ips("10.8.0.2"), HostCandidates.interfaces(() -> HOST).addresses(ip("10.8.0.2")));
    }

    @Test
    void aNamespaceWithOnlyLoopbackAndAVethAdvertisesBoth() throws Exception {
        HostCandidates c = HostCandidates.interfaces(() -> List.of(
                new HostCandidates.Interface("veth0", true, false, ips("fe80::a%3", "198.18.0.1")),
                new HostCandidates.Interface("lo", true, true, ips("127.0.0.1", "::1"))));
        assertEquals(ips("198.18.0.1", "127.0.0.1", "::1"), c.addresses(ip("::")));
    }

    @Test
    void noUsableInterfaceAddressIsAClearError() {
        HostCandidates c = HostCandidates.interfaces(() -> List.of(
                new HostCandidates.Interface("eth0", false, false, ips("192.0.2.10"))));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.addresses(ip("0.0.0.0")));
        assertTrue(e.getMessage().contains("public_ip"), e.getMessage());
    }

    @Test
    void aFailingEnumerationIsReported() {
        HostCandidates c = HostCandidates.interfaces(() -> {
            throw new SocketException("no netlink");
        });
        assertThrows(SocketException.class, () -> c.addresses(ip("0.0.0.0")));
        assertFalse(c.wantsIpv6());
    }

    @Test
    void aFixedListIsKeptInOrderWhateverTheBindAddress() throws Exception {
        HostCandidates c = HostCandidates.fixed(" 203.0.113.7, [2001:db8::7] ,203.0.113.7");
        assertEquals(ips("203.0.113.7", "2001:db8::7"), c.addresses(ip("0.0.0.0")));
        assertFalse(c.fromInterfaces());
        assertTrue(c.wantsIpv6());
        assertFalse(HostCandidates.fixed(List.of("127.0.0.1")).wantsIpv6());
    }

    @Test
    void aFixedListMustNameSomething() {
        assertThrows(IllegalArgumentException.class, () -> HostCandidates.fixed(" , "));
        assertThrows(IllegalArgumentException.class, () -> HostCandidates.fixed(List.of("no-such-host.invalid")));
    }

    @Test
    void theSystemSourceListsLoopback() throws Exception {
        List<InetAddress> all = HostCandidates.interfaces().addresses(ip("::"));
        assertTrue(all.contains(ip("127.0.0.1")), all.toString());
    }
}
