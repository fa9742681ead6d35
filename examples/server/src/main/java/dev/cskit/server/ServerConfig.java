/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import dev.cskit.api.annotation.Nullable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code server} section of the configuration.
 *
 * @param port             HTTP and room WebSocket port (0 picks a free one); HTTPS and WSS with {@code tls}
 * @param mediaPort        the (first) UDP port for WebRTC media (0 picks free ones)
 * @param publicIps        {@code public_ip}: the addresses put in ICE candidates, in order; empty: every up interface
 *                         address the media port listens on, and loopback
 * @param heartbeatTimeout a silent room socket is closed after this long
 * @param web              TLS, the HTTP redirect port, trusted proxies and request deadlines
 * @param drainTimeout     on SIGTERM, how long calls in progress may go on before they are ended (0: at once)
 * @param metricsToken     a bearer token that may read {@code /metrics} (besides the admin token), or null
 * @param mediaPorts       how many consecutive media ports from {@code mediaPort}, one media loop (thread) each
 * @param mediaTcpPort     {@code media_tcp_port}: the passive ICE-TCP port of the first media loop, the others
 *                         following it; {@link #MEDIA_TCP_SAME_AS_UDP} (the default): each loop's UDP port number;
 *                         {@link #MEDIA_TCP_OFF}: no ICE-TCP
 */
public record ServerConfig(int port, int mediaPort, List<String> publicIps, Duration heartbeatTimeout, Web web,
                           Duration drainTimeout, @Nullable String metricsToken, int mediaPorts, int mediaTcpPort) {

    /** {@link #mediaTcpPort}: ICE-TCP on each media loop's UDP port number. */
    public static final int MEDIA_TCP_SAME_AS_UDP = -1;
    /** {@link #mediaTcpPort}: no ICE-TCP listener ({@code media_tcp_port: 0} or {@code false}). */
    public static final int MEDIA_TCP_OFF = 0;

    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);
    public static final ServerConfig DEFAULTS = new ServerConfig(8080, 9000, List.of(), Duration.ofSeconds(60), Web.DEFAULTS,
            DEFAULT_DRAIN_TIMEOUT, null, 1, MEDIA_TCP_SAME_AS_UDP);

    private static final Pattern RANGE = Pattern.compile("\\s*(\\d{1,5})\\s*(?:-\\s*(\\d{1,5})\\s*)?");

    /**
     * {@code server.tls}: PEM files, or a throwaway self-signed certificate.
     *
     * @param cert       {@code cert}: the PEM certificate chain, leaf first
     * @param key        {@code key}: its PEM private key (PKCS#8, or traditional RSA or EC), not encrypted
     * @param selfSigned {@code self_signed} / {@code --tls-self-signed}: make one at start instead (trials only)
     */
    public record Tls(@Nullable Path cert, @Nullable Path key, boolean selfSigned) {
        public Tls {
            if (selfSigned && (cert != null || key != null)) {
                throw new IllegalArgumentException("server.tls: give cert and key, or self_signed, not both");
            }
            if (!selfSigned && (cert == null || key == null)) {
                throw new IllegalArgumentException("server.tls needs both cert and key (PEM files), or self_signed: true");
            }
        }
    }

    /**
     * The HTTP front of the server.
     *
     * @param tls              HTTPS and WSS on {@code port}, or null for plain HTTP
     * @param httpRedirectPort {@code server.http_redirect_port}: plain HTTP here is redirected to HTTPS; null for none
     * @param trustedProxies   {@code server.trusted_proxies}: CIDR blocks whose forwarding headers are believed
     * @param headerTimeout    {@code server.header_timeout}: a request's headers must arrive within this
     * @param bodyTimeout      {@code server.body_timeout}: a request's body must arrive within this after its headers
     */
    public record Web(@Nullable Tls tls, @Nullable Integer httpRedirectPort, List<String> trustedProxies,
                      Duration headerTimeout, Duration bodyTimeout) {

        public static final Web DEFAULTS = new Web(null, null, List.of(), Duration.ofSeconds(10), Duration.ofSeconds(30));

        public Web {
            trustedProxies = List.copyOf(trustedProxies);
            Objects.requireNonNull(headerTimeout, "headerTimeout");
            Objects.requireNonNull(bodyTimeout, "bodyTimeout");
            if (httpRedirectPort != null) {
                checkPort("server.http_redirect_port", httpRedirectPort);
            }
            if (headerTimeout.isNegative() || headerTimeout.isZero() || bodyTimeout.isNegative() || bodyTimeout.isZero()) {
                throw new IllegalArgumentException("server.header_timeout and body_timeout must be positive seconds");
            }
        }

        public Web withTls(@Nullable Tls t) {
            return new Web(t, httpRedirectPort, trustedProxies, headerTimeout, bodyTimeout);
        }
    }

    /**
     * Plain HTTP with the default deadlines, no trusted proxy, the default drain timeout and no metrics token;
     * {@code publicIp} is a comma list ({@link #parsePublicIps}).
     */
    public ServerConfig(int port, int mediaPort, String publicIp, Duration heartbeatTimeout) {
        this(port, mediaPort, publicIp, heartbeatTimeout, Web.DEFAULTS);
    }

    /** With the default drain timeout (30 s), no metrics token and one media port. */
    public ServerConfig(int port, int mediaPort, String publicIp, Duration heartbeatTimeout, Web web) {
        this(port, mediaPort, parsePublicIps(publicIp), heartbeatTimeout, web, DEFAULT_DRAIN_TIMEOUT, null, 1);
    }

    /** With ICE-TCP on each media loop's UDP port number. */
    public ServerConfig(int port, int mediaPort, List<String> publicIps, Duration heartbeatTimeout, Web web,
                        Duration drainTimeout, @Nullable String metricsToken, int mediaPorts) {
        this(port, mediaPort, publicIps, heartbeatTimeout, web, drainTimeout, metricsToken, mediaPorts,
                MEDIA_TCP_SAME_AS_UDP);
    }

    public ServerConfig {
        publicIps = List.copyOf(publicIps);
        for (String ip : publicIps) {
            if (ip.isBlank() || ip.contains(",")) {
                throw new IllegalArgumentException("server.public_ip entries must be single addresses, was '" + ip + "'");
            }
        }
        Objects.requireNonNull(heartbeatTimeout, "heartbeatTimeout");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        Objects.requireNonNull(web, "web");
        checkPort("server.port", port);
        checkPort("server.media_port", mediaPort);
        if (mediaPorts < 1 || (mediaPort != 0 && mediaPort + mediaPorts - 1 > 65535)) {
            throw new IllegalArgumentException("server.media_ports must name 1 or more ports in 1..65535, was "
                    + mediaPort + " and " + mediaPorts + " more");
        }
        if (mediaTcpPort < MEDIA_TCP_SAME_AS_UDP || mediaTcpPort > 65535
                || (mediaTcpPort > 0 && mediaTcpPort + mediaPorts - 1 > 65535)) {
            throw new IllegalArgumentException("server.media_tcp_port must be a port (one per media loop from it), or 0"
                    + " or false for no ICE-TCP, was " + mediaTcpPort);
        }
        if (heartbeatTimeout.isNegative() || heartbeatTimeout.isZero()) {
            throw new IllegalArgumentException("server.heartbeat_timeout must be a positive number of seconds");
        }
        if (drainTimeout.isNegative()) {
            throw new IllegalArgumentException("server.drain_timeout must be 0 or a positive number of seconds");
        }
        if (metricsToken != null && metricsToken.length() < 16) {
            throw new IllegalArgumentException("server.metrics_token must be at least 16 characters");
        }
    }

    /** {@code server.public_ip} / {@code --public-ip} as a comma list, e.g. {@code 203.0.113.7, 2001:db8::7}. */
    public static List<String> parsePublicIps(String commaList) {
        List<String> out = new java.util.ArrayList<>();
        for (String p : commaList.split(",")) {
            if (!p.isBlank()) {
                out.add(p.trim());
            }
        }
        return List.copyOf(out);
    }

    /** The same with {@code public_ip} set ({@code ips} empty: every interface). */
    public ServerConfig withPublicIps(List<String> ips) {
        return new ServerConfig(port, mediaPort, ips, heartbeatTimeout, web, drainTimeout, metricsToken, mediaPorts, mediaTcpPort);
    }

    private static void checkPort(String name, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " must be 0..65535, was " + port);
        }
    }

    public ServerConfig withPort(int p) {
        return new ServerConfig(p, mediaPort, publicIps, heartbeatTimeout, web, drainTimeout, metricsToken, mediaPorts, mediaTcpPort);
    }

    /** One media port ({@code --media-port N}). */
    public ServerConfig withMediaPort(int p) {
        return new ServerConfig(port, p, publicIps, heartbeatTimeout, web, drainTimeout, metricsToken, 1, mediaTcpPort);
    }

    /** Parses {@code server.media_ports}: {@code 9000-9003} (one loop per port) or one port. */
    public ServerConfig withMediaPorts(String range) {
        Matcher m = RANGE.matcher(range);
        if (!m.matches()) {
            throw new IllegalArgumentException("server.media_ports must be a range like 9000-9003 (one port per media"
                    + " loop; one per core is the natural size), was '" + range + "'");
        }
        int first = Integer.parseInt(m.group(1));
        int last = m.group(2) == null ? first : Integer.parseInt(m.group(2));
        if (first < 1 || last > 65535 || last < first) {
            throw new IllegalArgumentException("server.media_ports must be first-last with 1 <= first <= last <= 65535,"
                    + " was '" + range + "'");
        }
        return new ServerConfig(port, first, publicIps, heartbeatTimeout, web, drainTimeout, metricsToken,
                last - first + 1, mediaTcpPort);
    }

    /** ICE-TCP from {@code p} ({@link #MEDIA_TCP_SAME_AS_UDP}, {@link #MEDIA_TCP_OFF}, or the first loop's port). */
    public ServerConfig withMediaTcpPort(int p) {
        return new ServerConfig(port, mediaPort, publicIps, heartbeatTimeout, web, drainTimeout, metricsToken, mediaPorts, p);
    }

    public ServerConfig withWeb(Web w) {
        return new ServerConfig(port, mediaPort, publicIps, heartbeatTimeout, w, drainTimeout, metricsToken, mediaPorts, mediaTcpPort);
    }

    public ServerConfig withDrainTimeout(Duration d) {
        return new ServerConfig(port, mediaPort, publicIps, heartbeatTimeout, web, d, metricsToken, mediaPorts, mediaTcpPort);
    }

    public ServerConfig withMetricsToken(@Nullable String token) {
        return new ServerConfig(port, mediaPort, publicIps, heartbeatTimeout, web, drainTimeout, token, mediaPorts, mediaTcpPort);
    }

    /** Without the metrics token's value. */
    @Override
    public String toString() {
        return "ServerConfig[port=" + port + ", mediaPort=" + mediaPort + ", publicIps=" + (publicIps.isEmpty() ? "every interface" : publicIps)
                + ", mediaPorts=" + mediaPorts + ", mediaTcpPort=" + (mediaTcpPort == MEDIA_TCP_SAME_AS_UDP ? "same as udp"
                : mediaTcpPort == MEDIA_TCP_OFF ? "off" : String.valueOf(mediaTcpPort)) + ", heartbeatTimeout=" + heartbeatTimeout.toSeconds() + "s, web=" + web
                + ", drainTimeout=" + drainTimeout.toSeconds()
                + "s, metricsToken=" + (metricsToken == null ? "unset" : "set") + "]";
    }
}
