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
 * with nftables inside a network namespace; the SDK PATCHes the WHIP resource (If-Match "*"), and media resumes on
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
}
