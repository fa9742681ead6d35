/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server.e2e;

import dev.cskit.api.AgentAccount;
import dev.cskit.api.CsConfig;
import dev.cskit.server.Main;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * ICE restart mid-call on the real call page in headless Chromium ({@code examples/e2e/web-ice-restart.mjs}):
 * the customer's publishing connection is restarted, by {@code pc.restartIce()} or by dropping its UDP for 5 s
 * or 12 s (and its ICE-TCP) with nftables inside a network namespace; the SDK PATCHes the WHIP resource (If-Match "*"), and media resumes on
 * the same resource with the same outgoing SSRC (the agent decodes frames again) while the room never sees
 * {@code user_left}. The gap is printed in the script's JSON line (gapMs), not asserted.
 */
class IceRestartIT {

    @TempDir
    Path dataDir;

    @Test
    @Timeout(180)
    void restartIceKeepsTheWhipResourceAndSsrcAndTheRoomSeat() throws Exception {
        NodeScripts.requireTools(true);
        String hash = OpenBSDBCrypt.generate("2b", "secret".toCharArray(), new byte[16], 4);
        CsConfig.Builder cs = CsConfig.newBuilder()
                .agents(List.of(new AgentAccount("agent_001", "Agent Wang", hash)));
        try (Main.Server server = NodeScripts.startServer(dataDir, cs)) {
            NodeScripts.Run run = NodeScripts.run(Duration.ofSeconds(150), "web-ice-restart.mjs",
                    "--base", NodeScripts.baseUrl(server), "--mode", "restart");
            NodeScripts.assertPassed(run);
        }
    }

    /**
     * The server jar and Chromium in a private network namespace ({@link NetNs}); the script drops all UDP (and ICE-TCP) to
     * and from the media port with nftables for 5 s, then deletes the rule. The call comes back on the same WHIP
     * resource and SSRC, with or without an ICE restart (Chromium may recover the pair by itself; the JSON line
     * says which, and how long the gap was).
     */
    @Test
    @Timeout(180)
    void fiveSecondsWithoutUdpAndTheCallComesBackOnTheSameResource() throws Exception {
        NodeScripts.requireTools(true);
        String hash = OpenBSDBCrypt.generate("2b", "secret".toCharArray(), new byte[16], 4);
        try (NetNs ns = NetNs.create("198.18.0.1/24");
             NsServer server = NsServer.start(ns, dataDir, String.join("\n",
                     "customer_service:",
                     "  agents: [ { id: agent_001, name: Agent Wang, password_hash: '" + hash + "' } ]",
                     ""))) {
            NodeScripts.Run run = NodeScripts.run(ns::command, Duration.ofSeconds(150), "web-ice-restart.mjs",
                    "--base", "http://localhost:" + server.port(), "--mode", "outage", "--outage-ms", "5000");
            NodeScripts.assertPassed(run);
        }
    }

    /**
     * As above with 12 s without UDP: long enough for Chromium to call the connection disconnected, so the SDK
     * restarts ICE over PATCH (while the path is still down, then again until it is back); the call must come back
     * on the same resource and SSRC, with at least one ICE restart that reconnected.
     */
    @Test
    @Timeout(180)
    void aLongerOutageIsBridgedByAnIceRestartOnTheSameResource() throws Exception {
        NodeScripts.requireTools(true);
        String hash = OpenBSDBCrypt.generate("2b", "secret".toCharArray(), new byte[16], 4);
        try (NetNs ns = NetNs.create("198.18.0.1/24");
             NsServer server = NsServer.start(ns, dataDir, String.join("\n",
                     "customer_service:",
                     "  agents: [ { id: agent_001, name: Agent Wang, password_hash: '" + hash + "' } ]",
                     ""))) {
            NodeScripts.Run run = NodeScripts.run(ns::command, Duration.ofSeconds(150), "web-ice-restart.mjs",
                    "--base", "http://localhost:" + server.port(), "--mode", "outage", "--outage-ms", "12000",
                    "--require-restart", "true");
            NodeScripts.assertPassed(run);
        }
    }
}
