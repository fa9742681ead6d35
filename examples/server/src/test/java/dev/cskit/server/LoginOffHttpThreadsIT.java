/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.api.annotation.Nullable;
import dev.cskit.core.CustomerService;
import dev.cskit.core.auth.BcryptHasher;
import dev.cskit.core.auth.PasswordHasher;
import dev.cskit.netty.NettyHost;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 defect 3, acceptance 4, on real sockets: password checks run on the host's CPU pool, never on the
 * threads serving HTTP. Sixteen logins whose password checks cannot finish (a gate the test holds closed) are in
 * flight while {@code /stats} is asked: every {@code /stats} answers, and only then are the logins let through.
 */
@Timeout(120)
class LoginOffHttpThreadsIT {

    @TempDir
    Path dataDir;

    /** A password hasher whose checks wait at a gate until the test opens it. */
    static final class GatedHasher implements PasswordHasher {
        final CountDownLatch gate = new CountDownLatch(1);
        final AtomicInteger entered = new AtomicInteger();
        private final BcryptHasher real = new BcryptHasher(4);

        @Override
        public String hash(char[] password) {
            return real.hash(password);
        }

        @Override
        public boolean matches(String hash, char[] password) {
            entered.incrementAndGet();
            try {
                if (!gate.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the gate was never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return real.matches(hash, password);
        }

        @Override
        public String dummyHash(@Nullable String like) {
            return real.dummyHash(like);
        }
    }

    @Test
    void statsAnswerWhileSixteenLoginsWaitForTheirPasswordCheck() throws Exception {
        GatedHasher hasher = new GatedHasher();
        NettyHost host = NettyHost.newBuilder().bindAddress("127.0.0.1").port(0).build();
        try {
            host.start();
            host.startPlugin(CustomerService.newBuilder().passwordHasher(hasher).build(),
                    InProcessServer.config(dataDir));
            String base = "http://127.0.0.1:" + host.port();
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            List<CompletableFuture<HttpResponse<String>>> logins = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                HttpRequest login = HttpRequest.newBuilder(URI.create(base + "/customer-service/agents/login"))
                        .timeout(Duration.ofSeconds(90)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"agent_id\":\"agent_" + (100 + i) + "\",\"password\":\"guess\"}"))
                        .build();
                logins.add(client.sendAsync(login, HttpResponse.BodyHandlers.ofString()));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (hasher.entered.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(hasher.entered.get() > 0, "no password check started");

            Http http = new Http(host.port(), InProcessServer.ADMIN_TOKEN);
            for (int i = 0; i < 5; i++) {
                assertEquals(0, http.get("/customer-service/stats").data().path("total_sessions").asInt());
            }
            for (CompletableFuture<HttpResponse<String>> l : logins) {
                assertFalse(l.isDone(), "a login finished before its password check was let through");
            }

            hasher.gate.countDown();
            for (CompletableFuture<HttpResponse<String>> l : logins) {
                HttpResponse<String> r = l.get(60, TimeUnit.SECONDS);
                assertEquals(401, r.statusCode(), r.body());
            }
            assertEquals(16, hasher.entered.get());
        } finally {
            hasher.gate.countDown();
            host.close();
        }
    }
}
