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
import org.junit.jupiter.api.io.TempDir;

/**
 * A transfer end to end in headless Chromium on the real call page, routed by the agent pool: the customer's
 * page never reloads, its room socket never reconnects, its WHEP player stays the same, and it decodes the
 * new agent's video after the old agent's pages are closed ({@code examples/e2e/web-transfer.mjs}).
 */
class TransferIT {

    @TempDir
    Path dataDir;

    @Test
    void customerSeesTheNewAgentWithoutReloadingOrReconnecting() throws Exception {
        NodeScripts.requireTools(true);
        String hash = OpenBSDBCrypt.generate("2b", "secret".toCharArray(), new byte[16], 4);
        CsConfig.Builder cs = CsConfig.newBuilder().autoAssign(true)
                .agents(List.of(new AgentAccount("agent_001", "Agent Wang", hash),
                        new AgentAccount("agent_002", "Agent Li", hash)));
        try (Main.Server server = NodeScripts.startServer(dataDir, cs)) {
            NodeScripts.Run run = NodeScripts.run(Duration.ofSeconds(150), "web-transfer.mjs",
                    "--base", NodeScripts.baseUrl(server), "--password", "secret");
            NodeScripts.assertPassed(run);
        }
    }
}
