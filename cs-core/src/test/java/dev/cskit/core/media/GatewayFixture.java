/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cskit.api.AgentAccount;
import dev.cskit.api.CsConfig;
import dev.cskit.api.CustomerServicePlugin;
import dev.cskit.api.PluginContext;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.http.HttpRequest;
import dev.cskit.api.http.HttpResponse;
import dev.cskit.core.CustomerService;
import dev.cskit.core.FakeRoomService;
import dev.cskit.core.InlineScheduler;
import dev.cskit.core.MutableClock;
import dev.cskit.core.http.RouteTable;
import dev.cskit.media.dtls.DtlsCertificate;
import dev.cskit.media.whip.MediaEngine;
import dev.cskit.testkit.ClientPeer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tiny in-memory host the WHIP/WHEP gateway tests share: HTTP through {@link RouteTable}, rooms fake, a manual
 * clock, and a {@link RecordingMediaPort} whose candidate is 127.0.0.1:9. A test class extends it, may override
 * {@link #agents(String)}, and drives the plugin with the HTTP helpers below; offers come from {@link ClientPeer}, as
 * a browser would send them.
 */
abstract class GatewayFixture {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ADMIN = "admin-token-0123456789";
    static final String P = "/customer-service";
    static final DtlsCertificate CLIENT_CERT = DtlsCertificate.generate();

    @TempDir
    Path dataDir;

    final MutableClock clock = new MutableClock();
    final InlineScheduler scheduler = new InlineScheduler();
    final ExecutorService handshakes = Executors.newCachedThreadPool();
    final RecordingMediaPort transport = new RecordingMediaPort();
    FakeRoomService rooms;
    RouteTable http;
    CustomerServicePlugin plugin;
    MediaEngine engine;

    /**
     * A media port of one socket that only records: nothing reaches a client, so no handshake completes. Its loop
     * is a thread of its own, as a host's would be.
     */
    static final class RecordingMediaPort extends NoMediaPort {
        final List<InetSocketAddress> sentTo = new CopyOnWriteArrayList<>();
        final LinkedBlockingQueue<byte[]> sent = new LinkedBlockingQueue<>();
        final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "fake-udp"));
        volatile DatagramReceiver receiver;

        @Override
        public void setReceiver(DatagramReceiver receiver) {
            this.receiver = receiver;
        }

        @Override
        public boolean send(byte[] buf, int off, int len, InetSocketAddress to) {
            sentTo.add(to);
            sent.add(Arrays.copyOfRange(buf, off, off + len));
            return true;
        }

        @Override
        public void execute(Runnable task) {
            loop.execute(task);
        }

        @Override
        public Future<?> schedule(Runnable task, long delay, TimeUnit unit) {
            return loop.schedule(task, delay, unit);
        }

        @Override
        public boolean inLoop() {
            return Thread.currentThread().getName().equals("fake-udp");
        }
    }

    /** The agent accounts of the host, all with password hash {@code hash}: agent_001 and agent_002 by default. */
    List<AgentAccount> agents(String hash) {
        return List.of(new AgentAccount("agent_001", "Agent Wang", hash),
                new AgentAccount("agent_002", "Agent Li", hash));
    }

    @BeforeEach
    void start() throws Exception {
        String hash = OpenBSDBCrypt.generate("2b", "secret".toCharArray(), new byte[16], 4);
        CsConfig config = CsConfig.newBuilder()
                .dataDir(dataDir)
                .adminToken(ADMIN)
                .agents(agents(hash))
                .build();
        rooms = new FakeRoomService(clock);
        http = new RouteTable();
        plugin = CustomerServicePlugin.load();
        plugin.start(PluginContext.newBuilder().rooms(rooms).http(http).scheduler(scheduler).clock(clock)
                .config(config).media(transport).blockingExecutor(handshakes).build());
        engine = ((CustomerService) plugin).media().orElseThrow().engine();
        assertNotNull(transport.receiver, "the gateway installs its receiver on the media port");
    }

    @AfterEach
    void stop() throws InterruptedException {
        plugin.stop();
        scheduler.shutdownNow();
        transport.loop.shutdownNow();
        handshakes.shutdownNow();
        assertTrue(handshakes.awaitTermination(10, TimeUnit.SECONDS));
    }

    HttpResponse call(String method, String path, @Nullable String contentType, @Nullable String body,
                      @Nullable String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(method, path).header("Host", "cs.test");
        if (body != null) {
            b.body(body.getBytes(StandardCharsets.UTF_8));
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return http.handle(b.build());
    }

    JsonNode admin(String method, String path, @Nullable String json) throws Exception {
        HttpResponse r = call(method, path, json == null ? null : "application/json", json, ADMIN);
        assertEquals(200, r.status(), r.bodyAsString());
        return JSON.readTree(r.bodyAsString()).get("data");
    }

    static Optional<String> header(HttpResponse r, String name) {
        for (Map.Entry<String, String> e : r.headers()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }

    static String message(HttpResponse r) throws Exception {
        return JSON.readTree(r.bodyAsString()).path("message").asText();
    }

    /** A session with agent_001 accepted: {id, customerId, customerToken, agentToken}. */
    String[] activeCall() throws Exception {
        JsonNode s = admin("POST", P + "/sessions", "{\"title\":\"t\",\"customer_name\":\"Ann\"}");
        String id = s.get("id").asText();
        String cust = s.get("customer_id").asText();
        admin("POST", P + "/sessions/" + id + "/assign", "{\"agent_id\":\"agent_001\",\"agent_name\":\"Agent Wang\"}");
        JsonNode links = admin("GET", P + "/sessions/" + id + "/links", null);
        String customerToken = links.get("customer_token").asText();
        String agentToken = links.get("agent_token").asText();
        assertEquals("joined", rooms.join("customer-service/" + id, cust, customerToken));
        assertEquals("joined", rooms.join("customer-service/" + id, "agent_001", agentToken));
        rooms.send("customer-service/" + id, "agent_001", "{\"action\":\"accept_call\"}");
        return new String[] {id, cust, customerToken, agentToken};
    }

    /** A second session assigned to agent_002, not joined: {id, customerId, customerToken, agentToken}. */
    String[] activeCallWithSecondAgent() throws Exception {
        JsonNode s = admin("POST", P + "/sessions", "{\"title\":\"u\",\"customer_name\":\"Ben\"}");
        String id = s.get("id").asText();
        admin("POST", P + "/sessions/" + id + "/assign", "{\"agent_id\":\"agent_002\",\"agent_name\":\"Agent Li\"}");
        JsonNode links = admin("GET", P + "/sessions/" + id + "/links", null);
        return new String[] {id, s.get("customer_id").asText(), links.get("customer_token").asText(),
                links.get("agent_token").asText()};
    }

    ClientPeer peer(ClientPeer.Role role) {
        return ClientPeer.newBuilder(role).sender((b, o, l, to) -> { }).executor(handshakes)
                .certificate(CLIENT_CERT).build();
    }

    HttpResponse whip(String session, String user, String offer, @Nullable String token) {
        return call("POST", "/webrtc/whip/customer-service/" + session + "/" + user, "application/sdp", offer, token);
    }

    HttpResponse whep(String session, String user, String offer, @Nullable String token) {
        return call("POST", "/webrtc/whep/customer-service/" + session + "/" + user, "application/sdp", offer, token);
    }

    static String resourceId(HttpResponse created) {
        String location = header(created, "Location").orElseThrow();
        assertTrue(location.startsWith("/webrtc/session/"), location);
        return location.substring("/webrtc/session/".length());
    }
}
