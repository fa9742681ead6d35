/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.media;

import dev.cskit.api.annotation.Nullable;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The STUN/TURN servers clients should use and whether they must relay ({@code server.ice_servers},
 * {@code turn_secret}, {@code turn_ttl}, {@code ice_transport_policy}). Handed to clients as RFC 9725 §4.6
 * {@code Link: <turn:…>; rel="ice-server"} headers. A TURN server listed without username and credential gets
 * ephemeral ones per party from {@code turnSecret}, as coturn's {@code use-auth-secret} checks them (the TURN REST
 * API convention): username {@code expiry:user}, credential base64(HMAC-SHA1(secret, username)). Immutable.
 *
 * @param servers     the servers, in the order clients should try them
 * @param turnSecret  coturn's {@code static-auth-secret}, or null when every TURN server has static credentials
 * @param turnTtl     how long ephemeral TURN credentials are valid
 * @param policy      {@link Policy#RELAY}: clients use TURN relays only (the customer's address never reaches the
 *                    media server)
 */
public record IceConfig(List<Server> servers, @Nullable String turnSecret, Duration turnTtl, Policy policy) {

    /** No servers, host and server-reflexive candidates allowed: what a client does without configuration. */
    public static final IceConfig NONE = new IceConfig(List.of(), null, Duration.ofDays(1), Policy.ALL);

    /** {@code ice_transport_policy}, as RTCConfiguration.iceTransportPolicy has it. */
    public enum Policy {
        /** Any candidates. */
        ALL,
        /** TURN relay candidates only. */
        RELAY;

        /** {@code all} or {@code relay}. */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses {@code all} or {@code relay}. */
        public static Policy fromWire(String s) {
            for (Policy p : values()) {
                if (p.wire().equals(s)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("server.ice_transport_policy must be all or relay, was '" + s + "'");
        }
    }

    /**
     * One entry of {@code ice_servers}.
     *
     * @param urls       {@code stun:}, {@code stuns:}, {@code turn:} or {@code turns:} URIs (RFC 7064, RFC 7065)
     * @param username   the TURN username, or null (STUN, or ephemeral credentials from {@code turn_secret})
     * @param credential its password, or null likewise
     */
    public record Server(List<String> urls, @Nullable String username, @Nullable String credential) {
        public Server {
            urls = List.copyOf(urls);
            if (urls.isEmpty()) {
                throw new IllegalArgumentException("server.ice_servers entries need urls");
            }
            for (String u : urls) {
                if (!u.matches("(stuns?|turns?):[^\\s<>\"\\\\,;]+")) {
                    throw new IllegalArgumentException("server.ice_servers url must be stun:, stuns:, turn: or turns: "
                            + "host[:port][?transport=udp|tcp] without spaces, quotes or <>, was '" + u + "'");
                }
            }
            if ((username == null) != (credential == null)) {
                throw new IllegalArgumentException("server.ice_servers: username and credential come together");
            }
            for (String s : new String[] {username, credential}) {
                if (s != null && (s.isEmpty() || !s.matches("[\\x20-\\x7e&&[^\"\\\\]]+"))) {
                    throw new IllegalArgumentException("server.ice_servers username and credential must be printable "
                            + "ASCII without quotes or backslashes");
                }
            }
        }

        /** Whether one of the urls is a TURN server. */
        public boolean isTurn() {
            return urls.stream().anyMatch(u -> u.startsWith("turn"));
        }

        /** Whether its credentials are static (configured) rather than ephemeral. */
        public boolean hasCredentials() {
            return username != null;
        }

        @Override
        public String toString() {
            return "Server[urls=" + urls + ", username=" + username + ", credential="
                    + (credential == null ? "null" : "<redacted>") + "]";
        }
    }

    public IceConfig {
        servers = List.copyOf(servers);
        Objects.requireNonNull(turnTtl, "turnTtl");
        Objects.requireNonNull(policy, "policy");
        if (turnTtl.isNegative() || turnTtl.isZero()) {
            throw new IllegalArgumentException("server.turn_ttl must be positive seconds, was " + turnTtl.getSeconds());
        }
        if (turnSecret != null && turnSecret.isEmpty()) {
            turnSecret = null;
        }
        for (Server s : servers) {
            if (s.isTurn() && !s.hasCredentials() && turnSecret == null) {
                throw new IllegalArgumentException("server.ice_servers: " + s.urls() + " is a TURN server without "
                        + "username and credential: give them, or set server.turn_secret (coturn's static-auth-secret)");
            }
        }
        if (policy == Policy.RELAY && servers.stream().noneMatch(Server::isTurn)) {
            throw new IllegalArgumentException("server.ice_transport_policy: relay needs a TURN server in "
                    + "server.ice_servers");
        }
    }

    /** The TURN secret, when ephemeral credentials are made. */
    public Optional<String> secret() {
        return Optional.ofNullable(turnSecret);
    }

    @Override
    public String toString() {
        return "IceConfig[servers=" + servers.stream().map(Server::urls).toList() + ", turnSecret="
                + (turnSecret == null ? "unset" : "<redacted>") + ", turnTtl=" + turnTtl + ", policy=" + policy + "]";
    }
}
