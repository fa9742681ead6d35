/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import dev.cskit.api.AgentAccount;
import dev.cskit.api.CsConfig;
import dev.cskit.api.CustomerServicePlugin;
import dev.cskit.netty.NettyHost;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * The server as {@link Main} assembles it (the plugin found by {@link CustomerServicePlugin#load()} on a
 * {@link NettyHost}), bound to 127.0.0.1 on a free port with a temporary data directory, two agents with
 * bcrypt password hashes, an admin token and a known link secret.
 */
final class InProcessServer implements AutoCloseable {

    static final String ADMIN_TOKEN = "it-admin-token-0123456789";
    static final String LINK_SECRET = "it-link-secret-0123456789abcdef";
    static final String AGENT1 = "agent_001";
    static final String AGENT1_NAME = "Agent Wang";
    static final String AGENT1_PASSWORD = "wang-secret";
    static final String AGENT2 = "agent_002";
    static final String AGENT2_NAME = "Agent Li";
    static final String AGENT2_PASSWORD = "li-secret";

    final CsConfig config;
    final NettyHost host;
    final Http http;

    private InProcessServer(CsConfig config, NettyHost host) {
        this.config = config;
        this.host = host;
        this.http = new Http(host.port(), ADMIN_TOKEN);
    }

    /** The test configuration: agents, admin token, link secret, data in {@code dataDir}. */
    static CsConfig config(Path dataDir) {
        return CsConfig.newBuilder()
                .dataDir(dataDir)
                .adminToken(ADMIN_TOKEN)
                .linkSecret(LINK_SECRET)
                .agents(List.of(new AgentAccount(AGENT1, AGENT1_NAME, bcrypt(AGENT1_PASSWORD)),
                        new AgentAccount(AGENT2, AGENT2_NAME, bcrypt(AGENT2_PASSWORD))))
                .build();
    }

    /** A bcrypt hash at cost 4: the server reads the cost from the hash, and a low one keeps tests quick. */
    static String bcrypt(String password) {
        byte[] salt = new byte[16];
        new java.security.SecureRandom().nextBytes(salt);
        return OpenBSDBCrypt.generate("2b", password.toCharArray(), salt, 4);
    }

    static InProcessServer start(Path dataDir) throws Exception {
        return start(dataDir, b -> b);
    }

    /** Starts with the test configuration as changed by {@code tweak}. */
    static InProcessServer start(Path dataDir, UnaryOperator<CsConfig.Builder> tweak) throws Exception {
        CsConfig cfg = tweak.apply(config(dataDir).toBuilder()).build();
        NettyHost host = NettyHost.newBuilder()
                .bindAddress("127.0.0.1")
                .port(0)
                .heartbeatTimeout(Duration.ofSeconds(60))
                .build();
        try {
            host.start();
            host.startPlugin(CustomerServicePlugin.load(), cfg);
        } catch (Exception | Error e) {
            host.close();
            throw e;
        }
        return new InProcessServer(cfg, host);
    }

    int port() {
        return host.port();
    }

    RoomClient room(String name) {
        return RoomClient.connect(name, port());
    }

    @Override
    public void close() {
        host.close();
    }
}
