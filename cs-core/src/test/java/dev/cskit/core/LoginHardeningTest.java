/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core;

import static dev.cskit.core.PluginHarness.P;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.api.AgentAccount;
import dev.cskit.api.CsConfig;
import dev.cskit.core.PluginHarness.Resp;
import dev.cskit.core.auth.BcryptHasher;
import dev.cskit.core.auth.CountingHasher;
import java.time.Duration;
import java.util.List;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue 12 defect 3, acceptance 4: login is throttled, and tells nothing about which agent ids exist. */
class LoginHardeningTest {

    private final CountingHasher hasher = new CountingHasher();
    private PluginHarness h;

    @BeforeEach
    void start() throws Exception {
        String hash = OpenBSDBCrypt.generate("2b", "secret".toCharArray(), new byte[16], 4);
        CsConfig cfg = CsConfig.newBuilder().dataDir(null).adminToken("admin-token-0123456789")
                .agents(List.of(new AgentAccount("agent_001", "Agent Wang", hash),
                        new AgentAccount("agent_002", "Agent Li", ""),
                        new AgentAccount("agent_003", "Agent Off", hash, false, 1))).build();
        h = new PluginHarness(cfg, () -> CustomerService.newBuilder().passwordHasher(hasher).build());
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private Resp login(String id, String password, String from) {
        return h.call("POST", P + "/agents/login", "{\"agent_id\":\"" + id + "\",\"password\":\"" + password + "\"}",
                null, from);
    }

    @Test
    void hundredWrongLoginsInTenSecondsAreThrottledAfterAFew() {
        int checked = 0;
        int throttled = 0;
        for (int i = 0; i < 100; i++) {
            Resp r = login("agent_001", "guess-" + i, "198.51.100.7");
            if (r.status() == 401) {
                checked++;
            } else {
                assertEquals(429, r.status(), r.body().toString());
                long retry = Long.parseLong(r.header("Retry-After").orElseThrow());
                assertTrue(retry >= 1, "Retry-After " + retry);
                assertTrue(r.message().contains("wait " + retry + " s"), r.message());
                throttled++;
            }
            h.clock.advance(Duration.ofMillis(100));
        }
        // 5 free failures, then one more check after each block of 1 s, 2 s, 4 s.
        assertTrue(checked <= 8, "checked " + checked);
        assertEquals(checked, hasher.checks(), "a throttled attempt runs no password check");
        assertEquals(100 - checked, throttled);
        // The right password waits out the block like any other attempt, then gets in and clears the agent.
        h.clock.advance(Duration.ofMinutes(15));
        assertEquals(200, login("agent_001", "secret", "198.51.100.7").status());
        assertEquals(401, login("agent_001", "wrong", "198.51.100.7").status());
    }

    @Test
    void anUnknownIdRunsTheSamePasswordCheckAsAKnownOne() {
        Resp known = login("agent_001", "wrong", "192.0.2.1");
        assertEquals(1, hasher.checks());
        Resp unknown = login("agent_404", "wrong", "192.0.2.2");
        assertEquals(2, hasher.checks(), "an unknown id is checked too");
        Resp noPassword = login("agent_002", "wrong", "192.0.2.3");
        assertEquals(3, hasher.checks(), "an agent without a password is checked too");
        Resp disabled = login("agent_003", "secret", "192.0.2.4");
        assertEquals(4, hasher.checks(), "a disabled agent is checked too");
        for (Resp r : List.of(unknown, noPassword, disabled)) {
            assertEquals(401, r.status());
            assertEquals(known.body(), r.body());
        }
        List<String> hashes = hasher.checked();
        int cost = BcryptHasher.costOf(hashes.get(0));
        for (String used : hashes) {
            assertEquals(cost, BcryptHasher.costOf(used), "every check has the known hash's cost: " + used);
        }
        assertTrue(hashes.get(1).equals(hashes.get(2)), "unknown ids use one fixed dummy hash");
    }

    @Test
    void aFullCpuPoolAnswers503WithRetryAfterAtOnce() throws Exception {
        MutableClock clock = new MutableClock();
        ManualScheduler scheduler = new ManualScheduler(clock);
        dev.cskit.core.http.RouteTable http = new dev.cskit.core.http.RouteTable();
        CustomerService plugin = CustomerService.newBuilder().passwordHasher(hasher).build();
        plugin.start(dev.cskit.api.PluginContext.newBuilder().rooms(new FakeRoomService(clock)).http(http)
                .scheduler(scheduler).clock(clock).config(h.config())
                .cpuExecutor(r -> {
                    throw new java.util.concurrent.RejectedExecutionException("the pool is full");
                }).build());
        try {
            dev.cskit.api.http.HttpResponse r = http.handle(dev.cskit.api.http.HttpRequest.newBuilder("POST",
                    P + "/agents/login").header("Content-Type", "application/json").body("{\"agent_id\":\"agent_001\",\"password\":\"secret\"}").build());
            assertEquals(503, r.status(), r.bodyAsString());
            assertTrue(r.bodyAsString().startsWith("{\"code\":503,\"message\":"), r.bodyAsString());
            assertEquals("1", r.headers().stream().filter(e -> e.getKey().equals("Retry-After")).findFirst()
                    .orElseThrow().getValue());
            assertEquals(0, hasher.checks());
        } finally {
            plugin.stop();
            scheduler.shutdownNow();
        }
    }

    @Test
    void badLoginBodiesAre400WithoutAPasswordCheck() {
        assertEquals(400, h.call("POST", P + "/agents/login", "{\"agent_id\":\"a|b\",\"password\":\"x\"}", null).status());
        assertEquals(400, h.call("POST", P + "/agents/login", "{\"agent_id\":\"agent_001\",\"password\":\"\"}", null).status());
        assertEquals(400, h.call("POST", P + "/agents/login",
                "{\"agent_id\":\"agent_001\",\"password\":\"" + "x".repeat(73) + "\"}", null).status());
        assertEquals(0, hasher.checks());
    }
}
