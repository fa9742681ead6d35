/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cskit.core.CustomerService;
import dev.cskit.netty.NettyHost;
import dev.cskit.netty.UdpMediaPort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /readyz} through a server's life, with the real plugin and media port: 503 before the plugin starts, 200
 * once it has, 503 from the moment a drain starts, while the call in progress goes on and new sessions get 503
 * "draining"; the drain ends when that call does.
 */
@Timeout(120)
class HealthIT {

    @TempDir
    Path dataDir;

    @Test
    void readyzIs503BeforeThePluginStartsAndWhileDraining() throws Exception {
        NettyHost host = NettyHost.newBuilder().bindAddress("127.0.0.1").port(0)
                .component(new UdpMediaPort(0, "127.0.0.1")).build().start();
        try {
            Http http = new Http(host.port(), InProcessServer.ADMIN_TOKEN);
            assertEquals(200, http.get("/healthz").status());
            http.get("/readyz").assertError(503, "not ready: no plugin has started");

            host.startPlugin(new CustomerService(), InProcessServer.config(dataDir));
            assertEquals("ready", http.get("/readyz").data().path("status").asText());

            JsonNode s = http.createSession("Drain", "Ann");
            String id = s.path("id").asText();
            http.assign(id, InProcessServer.AGENT1, InProcessServer.AGENT1_NAME);
            JsonNode links = http.links(id);
            try (RoomClient customer = RoomClient.connect("customer", host.port());
                 RoomClient agent = RoomClient.connect("agent", host.port())) {
                customer.join(id, s.path("customer_id").asText(), links.path("customer_token").asText());
                agent.join(id, InProcessServer.AGENT1, links.path("agent_token").asText());
                agent.action("accept_call", id, InProcessServer.AGENT1);
                customer.expect("call_accepted");

                CompletableFuture<Void> drained = CompletableFuture.runAsync(() -> host.drain(Duration.ofMinutes(2)));
                while (http.get("/readyz").status() == 200) {
                    Thread.onSpinWait(); // until the drain has begun
                }
                http.get("/readyz").assertError(503, "not ready: draining: the server is shutting down");
                http.post("/customer-service/sessions", Http.obj().put("title", "t").put("customer_name", "Bob")
                        .toString()).assertError(503, "draining");
                assertEquals(200, http.get("/healthz").status(), "alive while draining");
                customer.sync(); // the call goes on: the room still answers, and nobody was told the call ended
                assertFalse(drained.isDone(), "the drain waits for the call in progress");

                agent.action("end_call", id, InProcessServer.AGENT1);
                assertEquals("agent_hangup", customer.expect("call_ended").path("reason").asText());
                drained.get(60, TimeUnit.SECONDS);
            }
        } finally {
            host.close();
        }
    }
}
