/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import dev.cskit.api.media.MediaTransport;
import dev.cskit.core.CustomerService;
import dev.cskit.core.FakeRoomService;
import dev.cskit.core.InlineScheduler;
import dev.cskit.core.MutableClock;
import dev.cskit.core.http.RouteTable;
import dev.cskit.testkit.ClientPeer;
import dev.cskit.media.dtls.DtlsCertificate;
import dev.cskit.media.whip.GoneReason;
import dev.cskit.media.whip.MediaEngine;
import dev.cskit.media.whip.PeerStats;
import dev.cskit.media.whip.StreamKey;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Screen shares through the WHIP/WHEP gateway, on the same in-memory host as {@link WebRtcGatewayTest}: the
 * {@code /screen} stream path, who may publish and play it, the per-party budget, and the {@code screen_share} frames
 * the room hears.
 */
class ScreenShareGatewayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "admin-token-0123456789";
    private static final String P = "/customer-service";
    private static final DtlsCertificate CLIENT_CERT = DtlsCertificate.generate();

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock();
    private final InlineScheduler scheduler = new InlineScheduler();
    private final ExecutorService handshakes = Executors.newCachedThreadPool();
    private final FakeMediaTransport transport = new FakeMediaTransport();
    private FakeRoomService rooms;
    private RouteTable http;
    private CustomerServicePlugin plugin;
    private MediaEngine engine;

    /**
     * A media port of one socket that only records: nothing reaches a client, so no handshake completes. Its loop
     * is a thread of its own, as a host's would be.
     */
    private static final class FakeMediaTransport implements MediaTransport, MediaTransport.MediaSocket {
        final List<InetSocketAddress> sentTo = new CopyOnWriteArrayList<>();
        final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "fake-udp"));
        volatile DatagramReceiver receiver;

        @Override
        public List<MediaSocket> sockets() {
            return List.of(this);
        }

        @Override
        public List<InetSocketAddress> candidates() {
            return List.of(new InetSocketAddress("127.0.0.1", 9));
        }

        @Override
        public void setReceiver(DatagramReceiver receiver) {
            this.receiver = receiver;
        }

        @Override
        public boolean send(byte[] buf, int off, int len, InetSocketAddress to) {
            sentTo.add(to);
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

    @BeforeEach
    void start() throws Exception {
        String hash = OpenBSDBCrypt.generate("2b", "secret".toCharArray(), new byte[16], 4);
        CsConfig config = CsConfig.newBuilder()
                .dataDir(dataDir)
                .adminToken(ADMIN)
                .agents(List.of(new AgentAccount("agent_001", "Agent Wang", hash),
                        new AgentAccount("agent_002", "Agent Li", hash)))
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

    // ------------------------------------------------------------------ helpers

    private HttpResponse call(String method, String path, @Nullable String contentType, @Nullable String body,
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

    private JsonNode admin(String method, String path, @Nullable String json) throws Exception {
        HttpResponse r = call(method, path, json == null ? null : "application/json", json, ADMIN);
        assertEquals(200, r.status(), r.bodyAsString());
        return JSON.readTree(r.bodyAsString()).get("data");
    }

    private static Optional<String> header(HttpResponse r, String name) {
        for (Map.Entry<String, String> e : r.headers()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }

    private static String message(HttpResponse r) throws Exception {
        return JSON.readTree(r.bodyAsString()).path("message").asText();
    }

    /** A session with agent_001 accepted: {id, customerId, customerToken, agentToken}. */
    private String[] activeCall() throws Exception {
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

    private ClientPeer peer(ClientPeer.Role role) {
        return ClientPeer.newBuilder(role).sender((b, o, l, to) -> { }).executor(handshakes)
                .certificate(CLIENT_CERT).build();
    }

    private HttpResponse whip(String session, String user, String offer, @Nullable String token) {
        return call("POST", "/webrtc/whip/customer-service/" + session + "/" + user, "application/sdp", offer, token);
    }

    private HttpResponse whep(String session, String user, String offer, @Nullable String token) {
        return call("POST", "/webrtc/whep/customer-service/" + session + "/" + user, "application/sdp", offer, token);
    }

    private static String resourceId(HttpResponse created) {
        String location = header(created, "Location").orElseThrow();
        assertTrue(location.startsWith("/webrtc/session/"), location);
        return location.substring("/webrtc/session/".length());
    }

    /** A second session with agent_002: {id, customerId, customerToken, agentToken}. */
    private String[] activeCallWithSecondAgent() throws Exception {
        JsonNode s = admin("POST", P + "/sessions", "{\"title\":\"u\",\"customer_name\":\"Ben\"}");
        String id = s.get("id").asText();
        admin("POST", P + "/sessions/" + id + "/assign", "{\"agent_id\":\"agent_002\",\"agent_name\":\"Agent Li\"}");
        JsonNode links = admin("GET", P + "/sessions/" + id + "/links", null);
        return new String[] {id, s.get("customer_id").asText(), links.get("customer_token").asText(),
                links.get("agent_token").asText()};
    }

    // ------------------------------------------------------------------ tests

    private HttpResponse whipScreen(String session, String user, String offer, @Nullable String token) {
        return whip(session, user + "/screen", offer, token);
    }

    private HttpResponse whepScreen(String session, String user, String offer, @Nullable String token) {
        return whep(session, user + "/screen", offer, token);
    }

    private List<String> shares(String user) {
        return rooms.received(user, "screen_share").stream()
                .map(f -> f.path("user_id").asText() + " " + f.path("active").asBoolean() + " "
                        + f.path("stream_path").asText())
                .toList();
    }

    @Test
    void aShareIsAStreamOfItsOwnThatTheOtherPartyHearsOfPlaysAndSeesStop() throws Exception {
        String[] c = activeCall();
        HttpResponse camera = whip(c[0], c[1], peer(ClientPeer.Role.PUBLISH).offer(), c[2]);
        assertEquals(201, camera.status(), camera.bodyAsString());
        HttpResponse agentPlaysCamera = whep(c[0], c[1], peer(ClientPeer.Role.PLAY).offer(), c[3]);
        assertEquals(201, agentPlaysCamera.status());
        assertEquals(List.of(), shares("agent_001"), "a camera is no screen share");

        HttpResponse screen = whipScreen(c[0], c[1], peer(ClientPeer.Role.PUBLISH).offer(), c[2]);
        assertEquals(201, screen.status(), screen.bodyAsString());
        String screenId = resourceId(screen);
        PeerStats published = engine.peer(screenId).orElseThrow();
        assertEquals(new StreamKey(c[0], c[1], StreamKey.Source.SCREEN), published.stream());
        assertEquals("customer-service/" + c[0] + "/" + c[1] + "/screen", WebRtcGateway.streamPath(published.stream()));
        String started = c[1] + " true customer-service/" + c[0] + "/" + c[1] + "/screen";
        assertEquals(List.of(started), shares("agent_001"));
        assertEquals(List.of(started), shares(c[1]), "the sharer's page hears it too");
        assertEquals(engine.loopOf(c[0]).orElseThrow(), published.loop(), "on the call's media loop");

        HttpResponse agentPlaysScreen = whepScreen(c[0], c[1], peer(ClientPeer.Role.PLAY).offer(), c[3]);
        assertEquals(201, agentPlaysScreen.status(), agentPlaysScreen.bodyAsString());
        assertEquals(published.stream(), engine.peer(resourceId(agentPlaysScreen)).orElseThrow().stream());
        assertEquals(4, engine.size());

        // Stop sharing: only the screen's WHIP resource ends; the camera and its player stay.
        assertEquals(200, call("DELETE", "/webrtc/session/" + screenId, null, null, c[2]).status());
        String stopped = c[1] + " false customer-service/" + c[0] + "/" + c[1] + "/screen";
        assertEquals(List.of(started, stopped), shares("agent_001"));
        assertTrue(engine.peer(resourceId(camera)).isPresent());
        assertTrue(engine.peer(resourceId(agentPlaysCamera)).isPresent());
        assertEquals(3, engine.size(), "the agent's page DELETEs its screen player when it hears the share stopped");
        assertTrue(rooms.seated("customer-service/" + c[0], c[1]));
    }

    @Test
    void aPartyCannotPublishAnothersScreenNorPlayItsOwnAndBadSuffixesAre404() throws Exception {
        String[] c = activeCall();
        String[] other = activeCallWithSecondAgent();
        String offer = peer(ClientPeer.Role.PUBLISH).offer();
        String playOffer = peer(ClientPeer.Role.PLAY).offer();

        HttpResponse foreign = whipScreen(c[0], "agent_001", offer, c[2]);
        assertEquals(403, foreign.status());
        assertEquals("you may publish only your own stream: customer-service/" + c[0] + "/" + c[1] + "/screen",
                message(foreign));
        HttpResponse own = whepScreen(c[0], c[1], playOffer, c[2]);
        assertEquals(403, own.status());
        assertEquals("you may play only the other party's stream: customer-service/" + c[0] + "/agent_001/screen",
                message(own));
        assertEquals(403, whepScreen(c[0], "agent_001", playOffer, c[3]).status(), "the agent playing its own");
        assertEquals(403, whipScreen(c[0], c[1], offer, other[2]).status(), "another session's token");
        assertEquals(401, whipScreen(c[0], c[1], offer, null).status());
        for (String suffix : new String[] {"/camera", "/Screen", "/screen/x", "/screen2"}) {
            HttpResponse bad = whip(c[0], c[1] + suffix, offer, c[2]);
            assertEquals(404, bad.status(), suffix + ": " + bad.bodyAsString());
            assertTrue(message(bad).contains("screen"), message(bad));
        }
        HttpResponse badId = whipScreen(c[0], "x|y", offer, c[2]);
        assertEquals(400, badId.status());
        assertTrue(message(badId).contains("user_id"), message(badId));
        assertEquals(0, engine.size(), "nothing refused left a peer behind");
        assertEquals(List.of(), shares("agent_001"));
    }

    @Test
    void theScreenCountsInThePartysMediaBudget() throws Exception {
        String[] c = activeCall();
        assertEquals(201, whip(c[0], c[1], peer(ClientPeer.Role.PUBLISH).offer(), c[2]).status());
        assertEquals(201, whep(c[0], "agent_001", peer(ClientPeer.Role.PLAY).offer(), c[2]).status());
        assertEquals(201, whipScreen(c[0], c[1], peer(ClientPeer.Role.PUBLISH).offer(), c[2]).status());
        assertEquals(201, whepScreen(c[0], "agent_001", peer(ClientPeer.Role.PLAY).offer(), c[2]).status());
        HttpResponse fifth = whipScreen(c[0], c[1], peer(ClientPeer.Role.PUBLISH).offer(), c[2]);
        assertEquals(429, fifth.status(), fifth.bodyAsString());
        assertTrue(message(fifth).contains("already has 4 live WHIP/WHEP resources"), message(fifth));
    }

    @Test
    void aSecondWhipOfTheScreenReplacesTheFirstWithoutAStopInBetween() throws Exception {
        String[] c = activeCall();
        HttpResponse first = whipScreen(c[0], c[1], peer(ClientPeer.Role.PUBLISH).offer(), c[2]);
        HttpResponse second = whipScreen(c[0], c[1], peer(ClientPeer.Role.PUBLISH).offer(), c[2]);
        assertEquals(201, second.status());
        assertTrue(engine.peer(resourceId(first)).isEmpty(), "replaced");
        assertEquals(404, call("DELETE", "/webrtc/session/" + resourceId(first), null, null, c[2]).status());
        assertEquals(1, shares("agent_001").size(), shares("agent_001").toString());
        assertEquals(200, call("DELETE", "/webrtc/session/" + resourceId(second), null, null, c[2]).status());
        assertEquals(2, shares("agent_001").size(), shares("agent_001").toString());
    }

    @Test
    void aShareTheNetworkEndsStopsWithoutTakingTheSeat() throws Exception {
        String[] c = activeCall();
        HttpResponse screen = whipScreen(c[0], c[1], peer(ClientPeer.Role.PUBLISH).offer(), c[2]);
        PeerStats published = engine.peer(resourceId(screen)).orElseThrow();
        engine.delete(published.id()); // what the loop does before it reports the peer gone
        ((CustomerService) plugin).media().orElseThrow().onGone(published, GoneReason.CONSENT_EXPIRED);
        assertEquals(List.of(false), rooms.received("agent_001", "screen_share").stream()
                .skip(1).map(f -> f.path("active").asBoolean()).toList());
        assertTrue(rooms.seated("customer-service/" + c[0], c[1]), "a closed tab's share is not the party gone");
    }

    @Test
    void aPartyThatTakesItsSeatDuringAShareHearsOfIt() throws Exception {
        String[] c = activeCall();
        String room = "customer-service/" + c[0];
        assertEquals(201, whipScreen(c[0], "agent_001", peer(ClientPeer.Role.PUBLISH).offer(), c[3]).status());
        assertEquals(1, shares(c[1]).size());
        assertTrue(rooms.removeUser(room, c[1], "")); // the customer's page reloaded: gone, then back
        assertEquals("joined", rooms.join(room, c[1], c[2]));
        assertEquals(List.of("agent_001 true " + room + "/agent_001/screen"), shares(c[1]).subList(1, 2));
        assertTrue(rooms.removeUser(room, "agent_001", ""));
        assertEquals("joined", rooms.join(room, "agent_001", c[3]));
        assertEquals(1, shares("agent_001").size(), "the sharer is not told of its own share again");
    }

    @Test
    void aTransferredAgentsShareStopsForTheCustomer() throws Exception {
        String[] c = activeCall();
        String room = "customer-service/" + c[0];
        assertEquals(201, whipScreen(c[0], "agent_001", peer(ClientPeer.Role.PUBLISH).offer(), c[3]).status());
        assertEquals(201, whepScreen(c[0], "agent_001", peer(ClientPeer.Role.PLAY).offer(), c[2]).status());
        rooms.send(room, "agent_001",
                "{\"action\":\"transfer_call\",\"to_agent_id\":\"agent_002\",\"to_agent_name\":\"Agent Li\"}");
        assertEquals(List.of("agent_001 true " + room + "/agent_001/screen",
                "agent_001 false " + room + "/agent_001/screen"), shares(c[1]));
        rooms.send(room, c[1], "{\"action\":\"end_call\"}");
        assertEquals(0, engine.size());
    }
}
