/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.time.Duration;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Relay-only calls through Debian's coturn ({@code examples/e2e/web-turn-relay.mjs}). In a private network
 * namespace ({@link NetNs}, 198.18.0.1 on a veth) the test starts {@code turnserver} with a generated config
 * ({@code use-auth-secret}, the server's {@code turn_secret}, relay ports 50000–50100, a temporary pid file and
 * database; stopped by its PID), then the server jar with {@code ice_servers: [turn:198.18.0.1:PORT]},
 * {@code turn_secret} and {@code ice_transport_policy: relay}, and blocks every direct path to the media port with
 * nftables (UDP to or from it unless from or to the relay ports, TCP to it). Chromium's pages get the TURN server
 * from an OPTIONS of the WHIP/WHEP endpoint before they make their peer connections; the call must connect with
 * video both ways and a relay candidate pair on every peer connection.
 */
class TurnRelayIT {

    private static final Pattern MEDIA_PORT = Pattern.compile("WebRTC media on udp/(\\d+)");

    @TempDir
    Path dir;

    @Test
    @Timeout(180)
    void relayOnlyCallConnectsThroughCoturnWithTheDirectPathsBlocked() throws Exception {
        NodeScripts.requireTools(true);
        assertTrue(Files.isExecutable(Path.of("/usr/bin/turnserver")), "coturn is not installed: apt-get install -y"
                + " coturn (bash .ci/run does)");
        String secret = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        String hash = OpenBSDBCrypt.generate("2b", "secret".toCharArray(), new byte[16], 4);
        int turnPort = 20000 + new SecureRandom().nextInt(20000); // the namespace is fresh: any port is free
        try (NetNs ns = NetNs.create("198.18.0.1/24")) {
            Process turn = startCoturn(ns, turnPort, secret);
            try (NsServer server = NsServer.start(ns, dir, String.join("\n",
                    "server:",
                    "  ice_servers: [ { urls: 'turn:" + ns.address() + ":" + turnPort + "?transport=udp' } ]",
                    "  turn_secret: " + secret,
                    "  ice_transport_policy: relay",
                    "customer_service:",
                    "  agents: [ { id: agent_001, name: Agent Wang, password_hash: '" + hash + "' } ]",
                    ""))) {
                Matcher m = MEDIA_PORT.matcher(server.log());
                assertTrue(m.find(), server.log());
                int media = Integer.parseInt(m.group(1));
                try (NetNs.Rule udpIn = ns.dropInbound("udp dport " + media + " udp sport != 50000-50100");
                     NetNs.Rule udpOut = ns.dropInbound("udp sport " + media + " udp dport != 50000-50100");
                     NetNs.Rule tcp = ns.dropInbound("tcp dport " + media)) {
                    NodeScripts.Run run = NodeScripts.run(ns::command, Duration.ofSeconds(120), "web-turn-relay.mjs",
                            "--base", "http://localhost:" + server.port());
                    NodeScripts.assertPassed(run);
                    // What tried the direct paths (Chromium, told to relay, should not): reported, not asserted.
                    System.out.println("[TurnRelayIT] direct packets dropped: udp in " + udpIn.dropped() + ", udp out "
                            + udpOut.dropped() + ", tcp " + tcp.dropped());
                }
            } finally {
                stop(turn, dir.resolve("turnserver.pid"));
            }
        }
    }

    private Process startCoturn(NetNs ns, int port, String secret) throws IOException, InterruptedException {
        Path conf = Files.writeString(dir.resolve("turnserver.conf"), String.join("\n",
                "listening-ip=" + ns.address(),
                "listening-port=" + port,
                "relay-ip=" + ns.address(),
                "min-port=50000",
                "max-port=50100",
                "use-auth-secret",
                "static-auth-secret=" + secret,
                "realm=cskit.test",
                "no-tls",
                "no-dtls",
                "no-cli",
                "allow-loopback-peers",
                "pidfile=" + dir.resolve("turnserver.pid"),
                "userdb=" + dir.resolve("turndb"),
                "log-file=stdout",
                "simple-log",
                ""));
        Path log = dir.resolve("turnserver.log");
        Process p = ns.start(List.of("turnserver", "-c", conf.toString(), "--no-cli", "--allow-loopback-peers"),
                dir, log);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < end && p.isAlive()) {
            if (Files.readString(log, StandardCharsets.UTF_8).contains("Total General servers")) {
                return p;
            }
            Thread.sleep(100); // polling coturn's log for its start
        }
        throw new AssertionError("coturn did not start: " + Files.readString(log, StandardCharsets.UTF_8));
    }

    // Stops coturn by the PID it wrote (and the process handle the namespace started), bounded.
    private static void stop(Process turn, Path pidFile) throws IOException, InterruptedException {
        if (Files.exists(pidFile)) {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        }
        turn.destroy();
        if (!turn.waitFor(10, TimeUnit.SECONDS)) {
            turn.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
