/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code server} section of the configuration.
 *
 * @param port             HTTP and room WebSocket port (0 picks a free one)
 * @param mediaPort        the (first) UDP port for WebRTC media (0 picks free ones)
 * @param publicIp         the address put in ICE candidates
 * @param heartbeatTimeout a silent room socket is closed after this long
 * @param mediaPorts       how many consecutive media ports from {@code mediaPort}, one media loop (thread) each
 */
public record ServerConfig(int port, int mediaPort, String publicIp, Duration heartbeatTimeout, int mediaPorts) {

    public static final ServerConfig DEFAULTS = new ServerConfig(8080, 9000, "127.0.0.1", Duration.ofSeconds(60));

    private static final Pattern RANGE = Pattern.compile("\\s*(\\d{1,5})\\s*(?:-\\s*(\\d{1,5})\\s*)?");

    public ServerConfig {
        Objects.requireNonNull(publicIp, "publicIp");
        Objects.requireNonNull(heartbeatTimeout, "heartbeatTimeout");
        checkPort("server.port", port);
        checkPort("server.media_port", mediaPort);
        if (mediaPorts < 1 || (mediaPort != 0 && mediaPort + mediaPorts - 1 > 65535)) {
            throw new IllegalArgumentException("server.media_ports must name 1 or more ports in 1..65535, was "
                    + mediaPort + " and " + mediaPorts + " more");
        }
        if (heartbeatTimeout.isNegative() || heartbeatTimeout.isZero()) {
            throw new IllegalArgumentException("server.heartbeat_timeout must be a positive number of seconds");
        }
    }

    /** One media port: the single-port default. */
    public ServerConfig(int port, int mediaPort, String publicIp, Duration heartbeatTimeout) {
        this(port, mediaPort, publicIp, heartbeatTimeout, 1);
    }

    private static void checkPort(String name, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " must be 0..65535, was " + port);
        }
    }

    public ServerConfig withPort(int p) {
        return new ServerConfig(p, mediaPort, publicIp, heartbeatTimeout, mediaPorts);
    }

    /** One media port ({@code --media-port N}). */
    public ServerConfig withMediaPort(int p) {
        return new ServerConfig(port, p, publicIp, heartbeatTimeout, 1);
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
        return new ServerConfig(port, first, publicIp, heartbeatTimeout, last - first + 1);
    }
}
