/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.auth;

import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.http.HttpRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Who may call admin endpoints. With an admin token: requests bearing it ({@code Authorization: Bearer}),
 * 401 if none, 403 if wrong. Without one, the <em>loopback shortcut</em>: a request is admin when all hold,
 * else 403:
 * <ul>
 *   <li>its client is on a loopback address ({@link HttpRequest#fromLoopback()});</li>
 *   <li>it did not come through a proxy ({@link HttpRequest#proxied()}: a trusted proxy, or any forwarding
 *       header), because a local proxy's clients are not local;</li>
 *   <li>its {@code Host}, if any, names this machine: {@code localhost}, {@code 127.0.0.1}, {@code [::1]}, or the host of
 *       {@code public_url}. A page of another site that rebinds its own DNS name to 127.0.0.1 (DNS rebinding)
 *       still sends its own name as {@code Host}, and is refused.</li>
 * </ul>
 * Immutable and thread-safe.
 */
public final class AdminGuard {

    private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");

    /**
     * A refusal.
     *
     * @param status  401 or 403
     * @param message what to do
     */
    public record Refusal(int status, String message) {
    }

    private final @Nullable byte[] token;
    private final @Nullable String publicHost;

    /** A guard without {@code public_url}: the loopback shortcut takes the localhost names only. */
    public AdminGuard(@Nullable String adminToken) {
        this(adminToken, null);
    }

    /**
     * @param adminToken {@code admin_token}, or null/empty for the loopback shortcut
     * @param publicUrl  {@code public_url}, whose host the loopback shortcut accepts as {@code Host} too
     * @throws IllegalArgumentException if {@code publicUrl} is not an absolute URL with a host
     */
    public AdminGuard(@Nullable String adminToken, @Nullable String publicUrl) {
        this.token = adminToken == null || adminToken.isEmpty() ? null : adminToken.getBytes(StandardCharsets.UTF_8);
        this.publicHost = publicUrl == null || publicUrl.isEmpty() ? null : hostOf(publicUrl);
    }

    private static String hostOf(String url) {
        String host = URI.create(url).getHost();
        if (host == null) {
            throw new IllegalArgumentException("public_url must be an absolute URL such as https://cs.example.com, was '"
                    + url + "'");
        }
        return host.toLowerCase(Locale.ROOT);
    }

    /** Whether no admin token is set (admin endpoints answer local clients only). */
    public boolean open() {
        return token == null;
    }

    /** Empty if the request may use admin endpoints, else why not. */
    public Optional<Refusal> check(HttpRequest request) {
        if (token == null) {
            return loopbackShortcut(request);
        }
        Optional<String> given = request.bearerToken();
        if (given.isEmpty()) {
            return Optional.of(new Refusal(401, "admin endpoint: send Authorization: Bearer <admin_token>"));
        }
        if (!MessageDigest.isEqual(token, given.get().getBytes(StandardCharsets.UTF_8))) {
            return Optional.of(new Refusal(403, "the admin token is wrong"));
        }
        return Optional.empty();
    }

    private Optional<Refusal> loopbackShortcut(HttpRequest request) {
        String unset = "admin endpoints answer only local clients while admin_token is not set";
        String fix = "; set customer_service.admin_token and send Authorization: Bearer <token>";
        if (!request.fromLoopback()) {
            return Optional.of(new Refusal(403, unset + fix));
        }
        if (request.proxied()) {
            return Optional.of(new Refusal(403, unset + ", and a request through a proxy is not local" + fix));
        }
        // No Host at all is an HTTP/1.0 tool, never a browser (browsers always send one): nothing to rebind.
        Optional<String> host = request.header("host").map(AdminGuard::hostName);
        if (host.isPresent() && !(LOCAL_HOSTS.contains(host.get()) || host.get().equals(publicHost))) {
            return Optional.of(new Refusal(403, unset + ", asked for as localhost, 127.0.0.1 or [::1]"
                    + (publicHost != null ? " or " + publicHost : "") + "; this request's Host was '"
                    + request.header("host").orElse("") + "'" + fix));
        }
        return Optional.empty();
    }

    /** The host of a {@code Host} header value without its port, lower case; IPv6 literals keep their brackets. */
    static String hostName(String hostHeader) {
        String h = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(0, end + 1);
        }
        int colon = h.indexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }
}
