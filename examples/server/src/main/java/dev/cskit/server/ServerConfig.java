/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import java.time.Duration;
import java.util.Objects;

/**
 * The {@code server} section of the configuration.
 *
 * @param port             HTTP and room WebSocket port (0 picks a free one)
 * @param mediaPort        the one UDP port for WebRTC media (used once the WebRTC module is wired in)
 * @param publicIp         the address put in ICE candidates
 * @param heartbeatTimeout a silent room socket is closed after this long
 */
public record ServerConfig(int port, int mediaPort, String publicIp, Duration heartbeatTimeout) {

    public static final ServerConfig DEFAULTS = new ServerConfig(8080, 9000, "127.0.0.1", Duration.ofSeconds(60));

    public ServerConfig {
        Objects.requireNonNull(publicIp, "publicIp");
        Objects.requireNonNull(heartbeatTimeout, "heartbeatTimeout");
        checkPort("server.port", port);
        checkPort("server.media_port", mediaPort);
        if (heartbeatTimeout.isNegative() || heartbeatTimeout.isZero()) {
            throw new IllegalArgumentException("server.heartbeat_timeout must be a positive number of seconds");
        }
    }

    private static void checkPort(String name, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " must be 0..65535, was " + port);
        }
    }

    public ServerConfig withPort(int p) {
        return new ServerConfig(p, mediaPort, publicIp, heartbeatTimeout);
    }

    public ServerConfig withMediaPort(int p) {
        return new ServerConfig(port, p, publicIp, heartbeatTimeout);
    }
}
