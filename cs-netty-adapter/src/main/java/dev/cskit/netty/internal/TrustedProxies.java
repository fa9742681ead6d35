/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty.internal;

import dev.cskit.api.annotation.Nullable;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Who the client of a request is when it comes through reverse proxies: the configured trusted proxies
 * ({@code server.trusted_proxies}, CIDR blocks) and the forwarding headers only they may set, RFC 7239
 * {@code Forwarded} or else {@code X-Forwarded-For}/{@code -Proto}/{@code -Host}/{@code -Port}. From any other
 * peer those headers are ignored. The client is the right-most address of the chain that is not a trusted proxy
 * (every hop appends the address it received from, so only the hops after the first untrusted one are
 * vouched for); the scheme and host come from the same hop.
 *
 * <p>Immutable and thread-safe. Unsupported API.
 */
public final class TrustedProxies {

    /** Who a request came from, as the host hands it to routes. */
    public record Client(InetSocketAddress address, boolean secure, @Nullable String authority, boolean viaTrustedProxy) {
    }

    /** One CIDR block, e.g. {@code 10.0.0.0/8}, {@code 127.0.0.1} or {@code ::1/128}. */
    record Block(byte[] network, int prefix) {
        boolean contains(InetAddress a) {
            byte[] b = a.getAddress();
            if (b.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (b[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (b[full] & mask) == (network[full] & mask);
        }
    }

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    /** RFC 3986 §3.2.2 reg-name or IPv4, or a bracketed IPv6 literal, then an optional port. */
    private static final Pattern AUTHORITY =
            Pattern.compile("(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]{2,45}])(?::\\d{1,5})?");

    public static final TrustedProxies NONE = new TrustedProxies(List.of());

    private final List<Block> blocks;

    private TrustedProxies(List<Block> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    /**
     * Parses CIDR blocks such as {@code 10.0.0.0/8}, {@code 192.0.2.7}, {@code ::1} or {@code fd00::/8}.
     *
     * @throws IllegalArgumentException naming the block that is not an IP literal with an optional prefix length
     */
    public static TrustedProxies parse(Collection<String> cidrs) {
        List<Block> out = new ArrayList<>();
        for (String c : cidrs) {
            String s = c.trim();
            int slash = s.indexOf('/');
            InetAddress a = literal(slash < 0 ? s : s.substring(0, slash));
            int bits = a == null ? 0 : a.getAddress().length * 8;
            int prefix = bits;
            if (a != null && slash >= 0) {
                try {
                    prefix = Integer.parseInt(s.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
            }
            if (a == null || prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("trusted proxy '" + c + "' is not an IP address or CIDR block such as "
                        + "10.0.0.0/8, 127.0.0.1 or ::1/128");
            }
            out.add(new Block(a.getAddress(), prefix));
        }
        return new TrustedProxies(out);
    }

    /** Whether no proxy is trusted. */
    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    /** Whether {@code a} is one of the trusted proxies. */
    public boolean trusts(InetAddress a) {
        for (Block b : blocks) {
            if (b.contains(a)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Resolves the client of a request.
     *
     * @param peer    the TCP peer
     * @param tls     whether the connection to this host is TLS
     * @param headers the request's header values by lower-case name (every line of a repeated header)
     */
    public Client resolve(InetSocketAddress peer, boolean tls, HeaderLookup headers) {
        if (peer.getAddress() == null || !trusts(peer.getAddress())) {
            return new Client(peer, tls, null, false);
        }
        List<String> forwarded = headers.all("forwarded");
        List<Hop> hops = !forwarded.isEmpty() ? rfc7239(forwarded) : xForwarded(headers);
        // Walk from the hop nearest to us; each trusted one vouches for the hop before it.
        Hop chosen = null;
        for (int i = hops.size() - 1; i >= 0; i--) {
            chosen = hops.get(i);
            if (chosen.address == null || !trusts(chosen.address)) {
                break;
            }
        }
        if (chosen == null) {
            return new Client(peer, tls, null, true);
        }
        InetSocketAddress client = chosen.address != null ? new InetSocketAddress(chosen.address, 0) : peer;
        boolean secure = chosen.proto != null ? chosen.proto.equals("https") : tls;
        return new Client(client, secure, chosen.host, true);
    }

    /** Header values by lower-case name. */
    @FunctionalInterface
    public interface HeaderLookup {
        List<String> all(String lowerCaseName);
    }

    /** One hop of a forwarding chain; a null field was absent or not understood. */
    private record Hop(@Nullable InetAddress address, @Nullable String proto, @Nullable String host) {
    }

    /** RFC 7239 §4: {@code Forwarded: for=192.0.2.60;proto=http;by=203.0.113.43, for="[2001:db8::1]:4711"}. */
    private static List<Hop> rfc7239(List<String> lines) {
        List<Hop> hops = new ArrayList<>();
        for (String line : lines) {
            for (String element : splitOutsideQuotes(line, ',')) {
                InetAddress addr = null;
                String proto = null;
                String host = null;
                for (String pair : splitOutsideQuotes(element, ';')) {
                    int eq = pair.indexOf('=');
                    if (eq < 0) {
                        continue;
                    }
                    String name = pair.substring(0, eq).trim().toLowerCase(Locale.ROOT);
                    String value = unquote(pair.substring(eq + 1).trim());
                    switch (name) {
                        case "for" -> addr = nodeAddress(value);
                        case "proto" -> proto = proto(value);
                        case "host" -> host = authority(value);
                        default -> {
                        }
                    }
                }
                hops.add(new Hop(addr, proto, host));
            }
        }
        return hops;
    }

    /** The de-facto headers: one {@code X-Forwarded-For} entry per hop; proto/host per hop when the counts agree. */
    private static List<Hop> xForwarded(HeaderLookup headers) {
        List<String> fors = commaList(headers.all("x-forwarded-for"));
        List<String> protos = commaList(headers.all("x-forwarded-proto"));
        List<String> hosts = commaList(headers.all("x-forwarded-host"));
        List<String> ports = commaList(headers.all("x-forwarded-port"));
        List<Hop> hops = new ArrayList<>();
        int n = Math.max(fors.size(), 1);
        for (int i = 0; i < n; i++) {
            InetAddress addr = i < fors.size() ? nodeAddress(fors.get(i)) : null;
            String proto = perHop(protos, i, n) == null ? null : proto(perHop(protos, i, n));
            String host = perHop(hosts, i, n) == null ? null : authority(perHop(hosts, i, n));
            String port = perHop(ports, i, n);
            if (host != null && port != null && port.matches("\\d{1,5}") && !host.matches(".*(:\\d+|])$")) {
                boolean dflt = (proto == null || proto.equals("https")) ? port.equals("443") : port.equals("80");
                host = dflt ? host : host + ":" + port;
            }
            hops.add(new Hop(addr, proto, host));
        }
        return hops;
    }

    /** The value for hop {@code i} of {@code n}: its own when there is one per hop, else the client's (the first). */
    private static @Nullable String perHop(List<String> values, int i, int n) {
        if (values.isEmpty()) {
            return null;
        }
        return values.size() == n ? values.get(i) : values.get(0);
    }

    private static List<String> commaList(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            for (String v : line.split(",")) {
                if (!v.isBlank()) {
                    out.add(v.trim());
                }
            }
        }
        return out;
    }

    private static @Nullable String proto(String v) {
        String p = v.toLowerCase(Locale.ROOT);
        return p.equals("http") || p.equals("https") ? p : null;
    }

    private static @Nullable String authority(String v) {
        return AUTHORITY.matcher(v).matches() ? v.toLowerCase(Locale.ROOT) : null;
    }

    /** RFC 7239 §6 node: an IPv4 literal, or a bracketed IPv6 literal, each with an optional port; else null. */
    private static @Nullable InetAddress nodeAddress(String v) {
        String s = v;
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            s = end < 0 ? "" : s.substring(1, end);
        } else if (s.indexOf(':') == s.lastIndexOf(':') && s.indexOf(':') > 0) {
            s = s.substring(0, s.indexOf(':')); // 192.0.2.1:4711
        }
        return literal(s);
    }

    /** An IP literal without any name lookup, or null. */
    static @Nullable InetAddress literal(String s) {
        try {
            if (IPV4.matcher(s).matches()) {
                String[] parts = s.split("\\.");
                byte[] b = new byte[4];
                for (int i = 0; i < 4; i++) {
                    int x = Integer.parseInt(parts[i]);
                    if (x > 255) {
                        return null;
                    }
                    b[i] = (byte) x;
                }
                return InetAddress.getByAddress(b);
            }
            if (IPV6.matcher(s).matches()) {
                // Bracketed, InetAddress parses it as an IPv6 literal or fails; it never looks a name up.
                return InetAddress.getByName("[" + s + "]");
            }
        } catch (UnknownHostException e) {
            return null;
        }
        return null;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            return v.substring(1, v.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return v;
    }

    private static List<String> splitOutsideQuotes(String s, char sep) {
        List<String> out = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' && (i == 0 || s.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            } else if (c == sep && !quoted) {
                out.add(s.substring(start, i).trim());
                start = i + 1;
            }
        }
        out.add(s.substring(start).trim());
        return out;
    }
}
