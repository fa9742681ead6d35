/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A web origin (RFC 6454): scheme, host and port, as browsers send it in the {@code Origin} header
 * ({@code https://app.example.com}, {@code http://localhost:8080}). Only {@code http} and {@code https} origins
 * exist here; {@code Origin: null} and other schemes parse to empty. Hosts compare case-insensitively and a
 * default port (80, 443) equals no port, so {@link #equals} is the same-origin test.
 *
 * @param scheme {@code http} or {@code https}
 * @param host   lower-case name, IPv4 literal, or IPv6 literal in brackets
 * @param port   the port, the scheme's default when not written
 */
public record WebOrigin(String scheme, String host, int port) {

    // RFC 3986 §3.2.2: reg-name (letters, digits, '-', '.') or a bracketed IPv6 literal; then an optional port.
    private static final Pattern AUTHORITY =
            Pattern.compile("([A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]{2,45}])(?::(\\d{1,5}))?");

    public WebOrigin {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(host, "host");
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("an origin's scheme is http or https, was '" + scheme + "'");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, was " + port);
        }
        host = host.toLowerCase(Locale.ROOT);
    }

    /**
     * Parses an origin as browsers serialize it: {@code scheme://host[:port]}, nothing after it (a trailing
     * {@code /} is tolerated, for origins copied from an address bar).
     */
    public static Optional<WebOrigin> parse(String origin) {
        String s = origin.trim();
        int sep = s.indexOf("://");
        if (sep < 0) {
            return Optional.empty();
        }
        String authority = s.substring(sep + 3);
        if (authority.endsWith("/")) {
            authority = authority.substring(0, authority.length() - 1);
        }
        return of(s.substring(0, sep), authority);
    }

    /** The origin of a request from its scheme and {@code Host} ({@code host[:port]}); empty if malformed. */
    public static Optional<WebOrigin> of(String scheme, String authority) {
        String sch = scheme.toLowerCase(Locale.ROOT);
        if (!sch.equals("http") && !sch.equals("https")) {
            return Optional.empty();
        }
        Matcher m = AUTHORITY.matcher(authority.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        int port = sch.equals("https") ? 443 : 80;
        if (m.group(2) != null) {
            port = Integer.parseInt(m.group(2));
            if (port < 1 || port > 65535) {
                return Optional.empty();
            }
        }
        return Optional.of(new WebOrigin(sch, m.group(1), port));
    }

    /** The origin of an absolute URL such as {@code public_url} ({@code https://cs.example.com/base}), or empty. */
    public static Optional<WebOrigin> ofUrl(String url) {
        try {
            URI u = new URI(url);
            return u.getScheme() == null || u.getRawAuthority() == null ? Optional.empty()
                    : of(u.getScheme(), u.getRawAuthority());
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** Parses a configured origin, e.g. an entry of {@code cors_origins}. */
    public static WebOrigin require(String origin) {
        return parse(origin).orElseThrow(() -> new IllegalArgumentException("'" + origin + "' is not a web origin: "
                + "write scheme://host[:port] such as https://app.example.com, without a path"));
    }

    /** Whether the port is the scheme's default. */
    public boolean defaultPort() {
        return port == (scheme.equals("https") ? 443 : 80);
    }

    /** The serialization browsers send: {@code https://app.example.com} or {@code http://localhost:8080}. */
    @Override
    public String toString() {
        return scheme + "://" + host + (defaultPort() ? "" : ":" + port);
    }
}
