/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import dev.cskit.api.annotation.Nullable;
import java.time.Duration;
import java.util.Objects;

/**
 * The {@code server} section of the configuration.
 *
 * @param port             HTTP and room WebSocket port (0 picks a free one)
 * @param mediaPort        the one UDP port for WebRTC media (used once the WebRTC module is wired in)
 * @param publicIp         the address put in ICE candidates
 * @param heartbeatTimeout a silent room socket is closed after this long
 * @param drainTimeout     on SIGTERM, how long calls in progress may go on before they are ended (0: at once)
 * @param metricsToken     a bearer token that may read {@code /metrics} (besides the admin token), or null
 */
public record ServerConfig(int port, int mediaPort, String publicIp, Duration heartbeatTimeout, Duration drainTimeout,
                           @Nullable String metricsToken) {

    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);
    public static final ServerConfig DEFAULTS = new ServerConfig(8080, 9000, "127.0.0.1", Duration.ofSeconds(60));

    public ServerConfig {
        Objects.requireNonNull(publicIp, "publicIp");
        Objects.requireNonNull(heartbeatTimeout, "heartbeatTimeout");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        checkPort("server.port", port);
        checkPort("server.media_port", mediaPort);
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

    /** With the default drain timeout (30 s) and no metrics token. */
    public ServerConfig(int port, int mediaPort, String publicIp, Duration heartbeatTimeout) {
        this(port, mediaPort, publicIp, heartbeatTimeout, DEFAULT_DRAIN_TIMEOUT, null);
    }

    private static void checkPort(String name, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " must be 0..65535, was " + port);
        }
    }

    public ServerConfig withPort(int p) {
        return new ServerConfig(p, mediaPort, publicIp, heartbeatTimeout, drainTimeout, metricsToken);
    }

    public ServerConfig withMediaPort(int p) {
        return new ServerConfig(port, p, publicIp, heartbeatTimeout, drainTimeout, metricsToken);
    }

    public ServerConfig withDrainTimeout(Duration d) {
        return new ServerConfig(port, mediaPort, publicIp, heartbeatTimeout, d, metricsToken);
    }

    public ServerConfig withMetricsToken(@Nullable String token) {
        return new ServerConfig(port, mediaPort, publicIp, heartbeatTimeout, drainTimeout, token);
    }

    /** Without the metrics token's value. */
    @Override
    public String toString() {
        return "ServerConfig[port=" + port + ", mediaPort=" + mediaPort + ", publicIp=" + publicIp
                + ", heartbeatTimeout=" + heartbeatTimeout.toSeconds() + "s, drainTimeout=" + drainTimeout.toSeconds()
                + "s, metricsToken=" + (metricsToken == null ? "unset" : "set") + "]";
    }
}
