/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.cskit.api.CsConfig;
import dev.cskit.api.webhook.WebhookEndpoint;
import dev.cskit.api.webhook.WebhookSettings;
import dev.cskit.server.Main;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 item 1, the dashboard: in headless Chromium ({@code examples/e2e/webhooks-panel.mjs}) the Webhook
 * deliveries panel lists a delivery the receiver refused until it was dead-lettered (with its last error), and its
 * Redeliver button sends it again at once; the row goes once the receiver took it.
 */
class WebhooksPanelIT {

    @TempDir
    Path dataDir;

    @Test
    void thePanelShowsAFailedDeliveryAndRedeliversIt() throws Exception {
        NodeScripts.requireTools(true);
        Files.deleteIfExists(WebPagesIT.SHOTS.resolve("admin-webhooks-failed.png"));
        AtomicInteger answer = new AtomicInteger(500);
        AtomicInteger delivered = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", ex -> {
            ex.getRequestBody().readAllBytes();
            int status = answer.get();
            if (status == 204) {
                delivered.incrementAndGet();
            }
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        receiver.createContext("/answer", ex -> {
            answer.set(Integer.parseInt(ex.getRequestURI().getQuery().replace("status=", "")));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.start();
        String receiverUrl = "http://127.0.0.1:" + receiver.getAddress().getPort();
        // A max_age of 3 s: the delivery is dead-lettered after a few attempts, and then nothing retries it on its
        // own, so what the panel shows stays put until the test redelivers it.
        CsConfig.Builder cs = CsConfig.newBuilder()
                .webhooks(List.of(new WebhookEndpoint(URI.create(receiverUrl + "/hook"),
                        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", Set.of())))
                .webhookSettings(new WebhookSettings(Duration.ofSeconds(3), Duration.ofSeconds(5), 2,
                        Duration.ofMinutes(10)));
        try (Main.Server server = NodeScripts.startServer(dataDir, cs)) {
            NodeScripts.Run run = NodeScripts.run(Duration.ofSeconds(90), "webhooks-panel.mjs",
                    "--base", NodeScripts.baseUrl(server), "--receiver", receiverUrl,
                    "--shots", WebPagesIT.SHOTS.toString());
            NodeScripts.assertPassed(run);
        } finally {
            receiver.stop(0);
        }
        assertEquals(1, delivered.get(), "the redelivered event reached the receiver once");
        Path png = WebPagesIT.SHOTS.resolve("admin-webhooks-failed.png");
        assertTrue(Files.isRegularFile(png) && Files.size(png) > 10 * 1024, () -> "missing screenshot " + png);
    }
}
