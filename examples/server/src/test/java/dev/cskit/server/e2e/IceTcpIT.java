/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * ICE-TCP (RFC 6544) where UDP does not get through: in a private network namespace ({@link NetNs}) the server jar
 * runs with its defaults (ICE-TCP on the media port's number, every interface advertised), an nftables rule drops
 * every UDP datagram to the media port, and two Chromium pages hold a call through the shipped call page
 * ({@code ice-tcp-call.mjs}): both connect over TCP, decode video both ways, the room report says
 * {@code transport: tcp}, and {@code /metrics} counts the four peers in
 * {@code cskit_media_peer_connections{transport="tcp"}}. The rule's counter shows the browsers did try UDP first. Then werift, with its ICE-TCP
 * ({@code iceUseTcp}, RFC 6544 active candidates), publishes and plays through the same server: both its
 * connections nominate a TCP pair and the payloads arrive intact ({@code werift-call.mjs --ice-tcp true}).
 */
@Timeout(180)
class IceTcpIT {

    private static final Pattern MEDIA = Pattern.compile("WebRTC media on udp/(\\d+) as .* and ICE-TCP on tcp/(\\d+)");

    @TempDir
    Path dir;

    @Test
    void chromiumCallConnectsOverIceTcpWhenUdpToTheMediaPortIsDropped() throws Exception {
        try (NetNs ns = NetNs.create("198.18.0.1/24");
             NsServer server = NsServer.start(ns, dir, "server:\n  heartbeat_timeout: 60\n")) {
            Matcher m = MEDIA.matcher(server.log());
            assertTrue(m.find(), () -> "the ready line names the UDP and ICE-TCP ports: " + logOf(server));
            try (NetNs.Rule noUdp = ns.dropInbound("udp dport " + m.group(1))) {
                NodeScripts.Run run = NodeScripts.run(ns::command, Duration.ofSeconds(120), "ice-tcp-call.mjs",
                        "--base", "http://localhost:" + server.port(), "--expect-transport", "tcp");
                NodeScripts.assertPassed(run);
                assertTrue(noUdp.dropped() > 0, "the browsers tried UDP to the media port first, and it was dropped");

                NodeScripts.Run werift = NodeScripts.run(ns::command, Duration.ofSeconds(60), "werift-call.mjs",
                        "--base", "http://localhost:" + server.port(), "--ice-tcp", "true");
                NodeScripts.assertPassed(werift);
                assertTrue(werift.lastLine().contains("\"transports\":[\"tcp\",\"tcp\"]"), werift.lastLine());
            }
        }
    }

    private static String logOf(NsServer s) {
        try {
            return s.log();
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
