/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The addresses the media sockets put into SDP answers as ICE host candidates (RFC 8445 §5.1.1.1): a fixed list
 * (the configured {@code public_ip}s: a 1:1 NAT address, or one per address family), or every usable address of
 * the host's interfaces that the socket listens on.
 *
 * <p>From the interfaces, in this order (the first gets the highest candidate priority): the IPv4 addresses of
 * every up non-loopback interface, then their global and unique-local IPv6 addresses, then loopback
 * ({@code 127.0.0.1}, {@code ::1}), so that a peer on another machine pairs with a routable address and a browser
 * on the same machine still can. Skipped: interfaces that are down, link-local addresses ({@code 169.254/16},
 * {@code fe80::/10}: they need a zone id, which candidates cannot carry, and browsers do not pair with them), and
 * IPv6 when the socket is bound to an IPv4 address.
 *
 * <p>Immutable and thread-safe.
 */
public final class HostCandidates {

    /** One network interface as the enumeration sees it. */
    public record Interface(String name, boolean up, boolean loopback, List<InetAddress> addresses) {
        public Interface {
            Objects.requireNonNull(name, "name");
            addresses = List.copyOf(addresses);
        }
    }

    /** The source of the host's interfaces; {@link #system()} reads {@link NetworkInterface}. */
    @FunctionalInterface
    public interface InterfaceSource {
        List<Interface> interfaces() throws SocketException;

        /** The host's interfaces, from {@link NetworkInterface#getNetworkInterfaces()}. */
        static InterfaceSource system() {
            return () -> {
                List<Interface> out = new ArrayList<>();
                for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                    out.add(new Interface(ni.getName(), ni.isUp(), ni.isLoopback(),
                            Collections.list(ni.getInetAddresses())));
                }
                return out;
            };
        }
    }

    private final List<InetAddress> fixed;
    private final InterfaceSource source;

    private HostCandidates(List<InetAddress> fixed, InterfaceSource source) {
        this.fixed = fixed;
        this.source = source;
    }

    /** Every usable address of the host's interfaces ({@code public_ip} unset). */
    public static HostCandidates interfaces() {
        return new HostCandidates(List.of(), InterfaceSource.system());
    }

    /** Every usable address of the interfaces {@code source} gives (tests). */
    public static HostCandidates interfaces(InterfaceSource source) {
        return new HostCandidates(List.of(), Objects.requireNonNull(source, "source"));
    }

    /**
     * The given addresses, in order: literal IPs or host names resolved now.
     *
     * @throws IllegalArgumentException if the list is empty or a name cannot be resolved
     */
    public static HostCandidates fixed(List<String> addresses) {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("at least one advertised address; use interfaces() for every interface");
        }
        Set<InetAddress> out = new LinkedHashSet<>();
        for (String a : addresses) {
            String s = Objects.requireNonNull(a, "address").trim();
            if (s.startsWith("[") && s.endsWith("]")) {
                s = s.substring(1, s.length() - 1);
            }
            try {
                out.add(InetAddress.getByName(s));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("cannot resolve the advertised address '" + a + "'", e);
            }
        }
        return new HostCandidates(List.copyOf(out), null);
    }

    /** {@link #fixed(List)} of a comma-separated list, e.g. {@code "203.0.113.7, 2001:db8::7"}. */
    public static HostCandidates fixed(String commaList) {
        List<String> parts = new ArrayList<>();
        for (String p : commaList.split(",")) {
            if (!p.isBlank()) {
                parts.add(p.trim());
            }
        }
        return fixed(parts);
    }

    /** Whether the addresses come from the interfaces rather than a fixed list. */
    public boolean fromInterfaces() {
        return source != null;
    }

    /** Whether a socket should listen on IPv6 too: a fixed IPv6 address, or an interface with a usable one. */
    boolean wantsIpv6() {
        if (source == null) {
            return fixed.stream().anyMatch(a -> a instanceof Inet6Address);
        }
        try {
            return source.interfaces().stream().filter(Interface::up)
                    .flatMap(i -> i.addresses().stream()).anyMatch(a -> a instanceof Inet6Address && usable(a));
        } catch (SocketException e) {
            return false;
        }
    }

    /**
     * The addresses for a socket bound to {@code bound}: the fixed list as given; or, from the interfaces, those the
     * socket receives on (all of them for a wildcard, only IPv4 for the IPv4 wildcard, only {@code bound} itself for
     * a specific address).
     *
     * @throws SocketException if the interfaces cannot be listed
     * @throws IllegalStateException if no interface address is usable
     */
    public List<InetAddress> addresses(InetAddress bound) throws SocketException {
        if (source == null) {
            return fixed;
        }
        if (!bound.isAnyLocalAddress()) {
            return List.of(bound);
        }
        boolean ipv6 = bound instanceof Inet6Address;
        List<InetAddress> v4 = new ArrayList<>();
        List<InetAddress> v6 = new ArrayList<>();
        List<InetAddress> loop = new ArrayList<>();
        for (Interface i : source.interfaces()) {
            if (!i.up()) {
                continue;
            }
            for (InetAddress a : i.addresses()) {
                if (!usable(a) || (a instanceof Inet6Address && !ipv6)) {
                    continue;
                }
                (a.isLoopbackAddress() ? loop : a instanceof Inet4Address ? v4 : v6).add(a);
            }
        }
        loop.sort((a, b) -> Boolean.compare(a instanceof Inet6Address, b instanceof Inet6Address));
        Set<InetAddress> out = new LinkedHashSet<>(v4);
        out.addAll(v6);
        out.addAll(loop);
        if (out.isEmpty()) {
            throw new IllegalStateException("no up interface has a usable address to advertise as an ICE candidate;"
                    + " set server.public_ip");
        }
        return List.copyOf(out);
    }

    private static boolean usable(InetAddress a) {
        return !a.isLinkLocalAddress() && !a.isAnyLocalAddress() && !a.isMulticastAddress();
    }

    @Override
    public String toString() {
        return source == null ? "fixed " + fixed : "every interface";
    }
}
