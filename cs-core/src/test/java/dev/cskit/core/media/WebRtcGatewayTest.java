/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cskit.api.AgentAccount;
import dev.cskit.api.CsConfig;
import dev.cskit.api.CustomerServicePlugin;
import dev.cskit.api.PluginContext;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.http.HttpRequest;
import dev.cskit.api.http.HttpResponse;
import dev.cskit.core.CustomerService;
import dev.cskit.core.http.RouteTable;
import dev.cskit.testkit.ClientPeer;
import dev.cskit.testkit.IceClient;
import dev.cskit.media.ice.IceCredentials;
import dev.cskit.media.whip.GoneReason;
import dev.cskit.media.whip.PeerStats;
import dev.cskit.media.whip.StreamKey;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;

/**
 * The WHIP/WHEP gateway through the plugin SPI on a tiny in-memory host: HTTP through {@link RouteTable}, rooms
 * fake, and a fake media port whose candidate is 127.0.0.1:9 and which records what is sent. The offers come from
 * {@link ClientPeer}, as a browser would send them.
 */
class WebRtcGatewayTest extends GatewayFixture {

    // ------------------------------------------------------------------ tests

    @Test
    void mediaGoneForLackOfConsentTakesThePartysSeatSoTheOtherHearsUserLeft() throws Exception {
        String[] c = activeCall();
        HttpResponse r = whip(c[0], c[1], peer(ClientPeer.Role.PUBLISH).offer(), c[2]);
        assertEquals(201, r.status(), r.bodyAsString());
        PeerStats customerMedia = engine.peer(resourceId(r)).orElseThrow();
        WebRtcGateway gateway = ((CustomerService) plugin).media().orElseThrow();

        gateway.onGone(customerMedia, GoneReason.DTLS_FAILED); // not a consent loss: seat kept
        assertTrue(rooms.seated("customer-service/" + c[0], c[1]));

        gateway.onGone(customerMedia, GoneReason.CONSENT_EXPIRED); // RFC 7675: the customer is gone
        assertFalse(rooms.seated("customer-service/" + c[0], c[1]));
        assertTrue(rooms.seated("customer-service/" + c[0], "agent_001"));
        assertEquals(1, rooms.received("agent_001", "user_left").size(), rooms.inbox("agent_001").toString());
    }

    @Test
    void validWhipOfferGetsCreatedWithAnIceLiteAnswer() throws Exception {
        String[] c = activeCall();
        ClientPeer customer = peer(ClientPeer.Role.PUBLISH);
        HttpResponse r = whip(c[0], c[1], customer.offer(), c[2]);
        assertEquals(201, r.status(), r.bodyAsString());
        assertTrue(r.contentType().startsWith("application/sdp"), r.contentType());
        String answer = r.bodyAsString();
        assertTrue(answer.contains("\r\na=ice-lite\r\n"), answer);
        assertTrue(answer.contains(" 127.0.0.1 9 typ host"), answer);
        assertTrue(header(r, "ETag").orElseThrow().startsWith("\""));
        String id = resourceId(r);
        assertEquals("customer-service/" + c[0] + "/" + c[1], WebRtcGateway.streamPath(engine.peer(id).orElseThrow().stream()));
        assertEquals(c[1], engine.peer(id).orElseThrow().owner());

        // The answer is one a client can act on: it names the media port and the server's fingerprint.
        customer.acceptAnswer(answer);
        assertEquals(new InetSocketAddress("127.0.0.1", 9), customer.serverAddress());
        assertEquals(2, customer.answeredMedia().size());

        // The agent plays the customer's stream and gets the SSRCs it will receive.
        ClientPeer agent = peer(ClientPeer.Role.PLAY);
        HttpResponse played = whep(c[0], c[1], agent.offer(), c[3]);
        assertEquals(201, played.status(), played.bodyAsString());
        agent.acceptAnswer(played.bodyAsString());
        assertEquals(2, agent.answeredSsrcs().size());
        assertEquals(2, engine.size());
    }

    @Test
    void refusesBadRequestsWithTheRightStatusAndRegistersNothing() throws Exception {
        String[] c = activeCall();
        String[] other = activeCallWithSecondAgent();
        String offer = peer(ClientPeer.Role.PUBLISH).offer();
        String playOffer = peer(ClientPeer.Role.PLAY).offer();
        String path = "/webrtc/whip/customer-service/" + c[0] + "/" + c[1];

        assertEquals(415, call("POST", path, "application/json", offer, c[2]).status());
        assertEquals(415, call("POST", path, null, offer, c[2]).status());
        HttpResponse garbage = whip(c[0], c[1], "garbage", c[2]);
        assertEquals(400, garbage.status());
        assertTrue(message(garbage).contains("SDP"), message(garbage));
        assertEquals(400, whip(c[0], c[1], offer.replace("a=fingerprint:", "a=x-fingerprint:"), c[2]).status());
        assertEquals(400, whip(c[0], c[1], "", c[2]).status());
        assertEquals(401, whip(c[0], c[1], offer, null).status());
        assertEquals(401, whip(c[0], c[1], offer, "not-a-token").status());
        assertEquals(403, whip(c[0], "agent_001", offer, c[2]).status(), "publishing the agent's path");
        assertEquals(403, whep(c[0], c[1], playOffer, c[2]).status(), "playing one's own path");
        assertEquals(403, whip(c[0], c[1], offer, other[2]).status(), "another session's token");
        assertEquals(403, whep(c[0], "agent_001", playOffer, other[2]).status(), "another session's token");
        assertEquals(404, call("POST", "/webrtc/whip/customer-service/" + c[0], "application/sdp", offer, c[2]).status());
        assertEquals(404, call("POST", "/webrtc/whip/other/" + c[0] + "/" + c[1], "application/sdp", offer, c[2])
                .status());
        assertEquals(404, whip("cs_missing", c[1], offer, c[2]).status());
        assertEquals(0, engine.size(), "no refused request left a peer behind");
        assertTrue(transport.sentTo.isEmpty());
    }

    @Test
    void malformedIdsInTheStreamPathAre400AndRegisterNothing() throws Exception {
        String[] c = activeCall();
        String offer = peer(ClientPeer.Role.PUBLISH).offer();
        for (String[] ids : new String[][] {{"a.b", c[1]}, {c[0], "x..y"}, {c[0], "x|y"}, {"s%2Fx", c[1]},
                {"x".repeat(65), c[1]}}) {
            HttpResponse r = whip(ids[0], ids[1], offer, c[2]);
            assertEquals(400, r.status(), ids[0] + "/" + ids[1] + ": " + r.bodyAsString());
            assertTrue(message(r).contains(ids[0].equals(c[0]) ? "user_id" : "session_id"), message(r));
        }
        assertEquals(0, engine.size());
    }

    @Test
    void aPartysResourcesPastTheLimitGet429AndADeleteFreesASlot() throws Exception {
        String[] c = activeCall();
        String playOffer = peer(ClientPeer.Role.PLAY).offer();
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            HttpResponse r = whep(c[0], "agent_001", playOffer, c[2]);
            assertEquals(201, r.status(), r.bodyAsString());
            ids.add(resourceId(r));
        }
        HttpResponse refused = whep(c[0], "agent_001", playOffer, c[2]);
        assertEquals(429, refused.status());
        assertTrue(message(refused).contains("already has 4 live WHIP/WHEP resources"), message(refused));
        assertEquals(429, whip(c[0], c[1], peer(ClientPeer.Role.PUBLISH).offer(), c[2]).status(),
                "a publish (or a screen share) counts against the same limit");
        assertEquals(201, whip(c[0], "agent_001", peer(ClientPeer.Role.PUBLISH).offer(), c[3]).status(),
                "the other party has its own");
        assertEquals(200, call("DELETE", "/webrtc/session/" + ids.get(0), null, null, c[2]).status());
        assertEquals(201, whep(c[0], "agent_001", playOffer, c[2]).status());
        assertEquals(5, engine.size());
    }

    @Test
    void aFullMediaMemoryBudgetGets503WithRetryAfter() throws Exception {
        plugin.stop();
        CsConfig config = CsConfig.newBuilder().dataDir(dataDir.resolve("b")).adminToken(ADMIN)
                .agents(List.of(new AgentAccount("agent_001", "Agent Wang",
                        OpenBSDBCrypt.generate("2b", "secret".toCharArray(), new byte[16], 4))))
                .mediaMemoryBytes(1024 * 1024) // 32 peers at 32 KiB
                .build();
        plugin = CustomerServicePlugin.load();
        plugin.start(PluginContext.newBuilder().rooms(rooms).http(http).scheduler(scheduler).clock(clock)
                .config(config).media(transport).blockingExecutor(handshakes).build());
        engine = ((CustomerService) plugin).media().orElseThrow().engine();
        String offer = peer(ClientPeer.Role.PUBLISH).offer();
        for (int i = 0; i < 32; i++) { // 32 waiting sessions, each customer publishing: 32 peers
            JsonNode created = admin("POST", P + "/sessions", "{\"title\":\"t\",\"customer_name\":\"C" + i + "\"}");
            String id = created.get("id").asText();
            String token = admin("GET", P + "/sessions/" + id + "/links", null).get("customer_token").asText();
            HttpResponse r = whip(id, created.get("customer_id").asText(), offer, token);
            assertEquals(201, r.status(), i + ": " + r.bodyAsString());
        }
        JsonNode created = admin("POST", P + "/sessions", "{\"title\":\"t\",\"customer_name\":\"Late\"}");
        String id = created.get("id").asText();
        String token = admin("GET", P + "/sessions/" + id + "/links", null).get("customer_token").asText();
        HttpResponse full = whip(id, created.get("customer_id").asText(), offer, token);
        assertEquals(503, full.status(), full.bodyAsString());
        assertEquals("5", header(full, "Retry-After").orElseThrow());
        assertTrue(message(full).contains("media memory budget (1 MiB) is full"), message(full));
        assertEquals(32, engine.size());
        assertEquals(engine.memoryBudget(), engine.memoryUsed());
    }

    private static List<String> headers(HttpResponse r, String name) {
        return r.headers().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).toList();
    }

    @Test
    void iceServersReachClientsAsLinkHeadersOnThe201AndOnOptions() throws Exception {
        String[] c0 = activeCall();
        HttpResponse none = call("OPTIONS", "/webrtc/whip/customer-service/" + c0[0] + "/" + c0[1], null, null, c0[2]);
        assertEquals(204, none.status());
        assertEquals(List.of(), headers(none, "Link"), "no servers configured: no Link");

        plugin.stop();
        CsConfig config = CsConfig.newBuilder().dataDir(dataDir.resolve("ice")).adminToken(ADMIN)
                .agents(List.of(new AgentAccount("agent_001", "Agent Wang",
                        OpenBSDBCrypt.generate("2b", "secret".toCharArray(), new byte[16], 4))))
                .iceConfig(new dev.cskit.api.media.IceConfig(List.of(
                        new dev.cskit.api.media.IceConfig.Server(List.of("stun:stun.example.net"), null, null),
                        new dev.cskit.api.media.IceConfig.Server(List.of("turn:127.0.0.1:3478"), null, null)),
                        "north", java.time.Duration.ofHours(1), dev.cskit.api.media.IceConfig.Policy.RELAY))
                .build();
        plugin = CustomerServicePlugin.load();
        plugin.start(PluginContext.newBuilder().rooms(rooms).http(http).scheduler(scheduler).clock(clock)
                .config(config).media(transport).blockingExecutor(handshakes).build());
        String[] c = activeCall();
        String path = "/webrtc/whip/customer-service/" + c[0] + "/" + c[1];
        long expiry = clock.instant().getEpochSecond() + 3600;
        String user = expiry + ":" + c[1];
        String turn = "<turn:127.0.0.1:3478>; rel=\"ice-server\"; username=\"" + user + "\"; credential=\""
                + IceServerLinks.restCredential("north", user) + "\"; credential-type=\"password\"";

        HttpResponse options = call("OPTIONS", path, null, null, c[2]);
        assertEquals(204, options.status(), options.bodyAsString());
        assertEquals(List.of("<stun:stun.example.net>; rel=\"ice-server\"", turn), headers(options, "Link"));
        assertEquals(List.of("relay"), headers(options, "Cskit-Ice-Transport-Policy"));
        HttpResponse anonymous = call("OPTIONS", path, null, null, null);
        assertEquals(204, anonymous.status());
        assertEquals(List.of("<stun:stun.example.net>; rel=\"ice-server\""), headers(anonymous, "Link"),
                "ephemeral TURN credentials only for a party of the session");
        assertEquals(401, call("OPTIONS", path, null, null, "not-a-token").status());

        HttpResponse created = whip(c[0], c[1], peer(ClientPeer.Role.PUBLISH).offer(), c[2]);
        assertEquals(201, created.status(), created.bodyAsString());
        assertEquals(List.of("<stun:stun.example.net>; rel=\"ice-server\"", turn), headers(created, "Link"));
        assertEquals(List.of("relay"), headers(created, "Cskit-Ice-Transport-Policy"));
    }

    @Test
    void deleteOnlyByTheOwner() throws Exception {
        String[] c = activeCall();
        HttpResponse created = whip(c[0], c[1], peer(ClientPeer.Role.PUBLISH).offer(), c[2]);
        assertEquals(201, created.status(), created.bodyAsString());
        String id = resourceId(created);
        String resource = "/webrtc/session/" + id;

        assertEquals(403, call("DELETE", resource, null, null, c[3]).status(), "the agent may not end the customer's");
        assertEquals(401, call("DELETE", resource, null, null, null).status());
        assertEquals(1, engine.size());
        assertEquals(404, call("DELETE", "/webrtc/session/0123456789abcdef", null, null, c[2]).status());
        assertEquals(200, call("DELETE", resource, null, null, c[2]).status());
        assertEquals(0, engine.size());
        assertEquals(404, call("DELETE", resource, null, null, c[2]).status(), "already gone");
    }

    private HttpResponse patch(String resource, @Nullable String ifMatch, String fragment, @Nullable String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder("PATCH", resource).header("Host", "cs.test")
                .header("Content-Type", "application/trickle-ice-sdpfrag")
                .body(fragment.getBytes(StandardCharsets.UTF_8));
        if (ifMatch != null) {
            b.header("If-Match", ifMatch);
        }
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return http.handle(b.build());
    }

    private static String attribute(String sdp, String name) {
        for (String line : sdp.split("\r?\n")) {
            if (line.startsWith("a=" + name + ":")) {
                return line.substring(name.length() + 3);
            }
        }
        throw new AssertionError("no a=" + name + " in " + sdp);
    }

    /** A connectivity check with {@code client}'s credentials from {@code from}: whether the server answered it. */
    private IceClient.Outcome check(IceClient client, InetSocketAddress from, boolean nominate) throws Exception {
        byte[] tx = new byte[12];
        new java.security.SecureRandom().nextBytes(tx);
        byte[] req = new byte[512];
        int n = client.writeBindingRequest(req, 0, tx, 2130706431L, nominate);
        transport.sent.clear();
        transport.loop.submit(() -> transport.receiver.onDatagram(req, 0, n, from)).get(10, TimeUnit.SECONDS);
        byte[] response = transport.sent.poll(10, TimeUnit.SECONDS);
        assertNotNull(response, "the server answers every check that names one of its ufrags");
        return client.verifyResponse(response, 0, response.length, tx).outcome();
    }

    @Test
    void patchTricklesAndRestartsIceOnTheSameResourceWithPreconditions() throws Exception {
        String[] c = activeCall();
        String offer = peer(ClientPeer.Role.PUBLISH).offer();
        HttpResponse created = whip(c[0], c[1], offer, c[2]);
        assertEquals(201, created.status(), created.bodyAsString());
        String id = resourceId(created);
        String resource = "/webrtc/session/" + id;
        String etag = header(created, "ETag").orElseThrow();
        assertTrue(etag.matches("\"[0-9a-f]{16}\""), "a strong ETag: " + etag);
        IceCredentials client = new IceCredentials(attribute(offer, "ice-ufrag"), attribute(offer, "ice-pwd"));
        IceCredentials server = new IceCredentials(attribute(created.bodyAsString(), "ice-ufrag"),
                attribute(created.bodyAsString(), "ice-pwd"));
        InetSocketAddress from = new InetSocketAddress("127.0.0.1", 50000);
        assertEquals(IceClient.Outcome.SUCCESS, check(new IceClient(client, server, 7), from, true));
        String trickle = "a=ice-ufrag:" + client.ufrag() + "\r\na=ice-pwd:" + client.pwd() + "\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n"
                + "a=candidate:1 1 udp 2113937151 192.0.2.5 51000 typ host\r\na=end-of-candidates\r\n";

        // Preconditions (RFC 9725 §4.3): required, strong, current.
        HttpResponse missing = patch(resource, null, trickle, c[2]);
        assertEquals(428, missing.status());
        assertTrue(message(missing).contains("If-Match"), message(missing));
        assertEquals(412, patch(resource, "\"0000000000000000\"", trickle, c[2]).status());
        assertEquals(412, patch(resource, "W/" + etag, trickle, c[2]).status(), "a weak tag never matches");
        // Auth as for DELETE; the content type is checked.
        assertEquals(401, patch(resource, etag, trickle, null).status());
        assertEquals(403, patch(resource, etag, trickle, c[3]).status(), "the agent may not patch the customer's");
        assertEquals(415, call("PATCH", resource, "application/sdp", trickle, c[2]).status());
        assertEquals(404, patch("/webrtc/session/0123456789abcdef", etag, trickle, c[2]).status());

        // Malformed fragments: 400 with the line, nothing changed.
        for (String bad : new String[] {"garbage", "v=0\r\n", "a=candidate:1 1 udp x 192.0.2.5 51000 typ host",
                "a=ice-ufrag:" + client.ufrag() + "\r\n", "a=ice-ufrag:ab\r\na=ice-pwd:" + client.pwd(),
                "a=fingerprint:sha-256 AB", "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=candidate:1 1 udp 1 192.0.2.5 1 typ host",
                ""}) {
            HttpResponse r = patch(resource, etag, bad, c[2]);
            assertEquals(400, r.status(), bad + ": " + r.bodyAsString());
            assertTrue(message(r).startsWith("bad trickle ICE fragment: SDP"), message(r));
        }

        // Trickle of the current ICE session: 204, same ETag.
        HttpResponse trickled = patch(resource, etag, trickle, c[2]);
        assertEquals(204, trickled.status(), trickled.bodyAsString());
        assertEquals(etag, header(trickled, "ETag").orElseThrow());
        assertEquals(204, patch(resource, etag, "a=end-of-candidates\r\n", c[2]).status());
        assertEquals(IceClient.Outcome.SUCCESS, check(new IceClient(client, server, 7), from, true),
                "the old credentials still work: nothing was restarted");

        // New credentials under a concrete ETag are not a trickle: a restart needs "*".
        IceCredentials client2 = new IceCredentials("rst2", "restartedClientPassword22");
        String restart = "a=ice-ufrag:" + client2.ufrag() + "\r\na=ice-pwd:" + client2.pwd() + "\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n"
                + "a=candidate:1 1 udp 2113937151 192.0.2.5 51002 typ host\r\n";
        assertEquals(422, patch(resource, etag, restart, c[2]).status());

        // ICE restart: 200, the server's new credentials and candidates, a new ETag, the same resource.
        HttpResponse restarted = patch(resource, "*", restart, c[2]);
        assertEquals(200, restarted.status(), restarted.bodyAsString());
        assertEquals("application/trickle-ice-sdpfrag", restarted.contentType());
        String frag = restarted.bodyAsString();
        IceCredentials server2 = new IceCredentials(attribute(frag, "ice-ufrag"), attribute(frag, "ice-pwd"));
        assertFalse(server2.ufrag().equals(server.ufrag()), frag);
        assertTrue(frag.contains("\r\na=mid:0\r\n") && frag.contains(" 127.0.0.1 9 typ host\r\n")
                && frag.contains("a=end-of-candidates"), frag);
        String etag2 = header(restarted, "ETag").orElseThrow();
        assertFalse(etag2.equals(etag));
        assertEquals(1, engine.size());
        assertTrue(engine.peer(id).isPresent());
        assertEquals(412, patch(resource, etag, trickle, c[2]).status(), "the old ETag is stale now");
        assertEquals(204, patch(resource, etag2, restart, c[2]).status(), "the new session trickles");

        // Until the peer nominates with the new credentials the old ones still keep the old pair; then not.
        InetSocketAddress moved = new InetSocketAddress("127.0.0.1", 50002);
        assertEquals(IceClient.Outcome.SUCCESS, check(new IceClient(client, server, 7), from, false));
        assertEquals(IceClient.Outcome.SUCCESS, check(new IceClient(client2, server2, 7), moved, true));
        assertEquals(IceClient.Outcome.ERROR_RESPONSE, check(new IceClient(client, server, 7), from, false));
        assertEquals(IceClient.Outcome.ERROR_RESPONSE, check(new IceClient(client2, server, 7), moved, false),
                "the server's old password no longer signs");

        // And DELETE still ends it.
        assertEquals(200, call("DELETE", resource, null, null, c[2]).status());
        assertEquals(0, engine.size());
    }

    @Test
    void holdPausesTheSessionsStreamsAndEndOfCallClosesEveryPeer() throws Exception {
        String[] c = activeCall();
        String room = "customer-service/" + c[0];
        assertEquals(201, whip(c[0], c[1], peer(ClientPeer.Role.PUBLISH).offer(), c[2]).status());
        assertEquals(201, whip(c[0], "agent_001", peer(ClientPeer.Role.PUBLISH).offer(), c[3]).status());
        assertEquals(201, whep(c[0], "agent_001", peer(ClientPeer.Role.PLAY).offer(), c[2]).status());
        assertEquals(201, whep(c[0], c[1], peer(ClientPeer.Role.PLAY).offer(), c[3]).status());
        assertEquals(4, engine.size());
        StreamKey customerPath = new StreamKey(c[0], c[1]);
        StreamKey agentPath = new StreamKey(c[0], "agent_001");
        assertFalse(engine.isPaused(customerPath));

        rooms.send(room, "agent_001", "{\"action\":\"hold_call\"}");
        assertTrue(engine.isPaused(customerPath));
        assertTrue(engine.isPaused(agentPath));
        rooms.send(room, "agent_001", "{\"action\":\"resume_call\"}");
        assertFalse(engine.isPaused(customerPath));
        assertFalse(engine.isPaused(agentPath));

        rooms.send(room, c[1], "{\"action\":\"end_call\"}");
        assertEquals(0, engine.size());
        assertTrue(engine.stats().isEmpty());
        assertEquals(409, whip(c[0], c[1], peer(ClientPeer.Role.PUBLISH).offer(), c[2]).status(),
                "an ended session takes no new media");
        assertEquals(0, engine.size());
    }

    @Test
    void theRoomHearsOfHoldResumeAndEndOnlyAfterTheMediaChanged() throws Exception {
        String[] c = activeCall();
        String room = "customer-service/" + c[0];
        assertEquals(201, whip(c[0], c[1], peer(ClientPeer.Role.PUBLISH).offer(), c[2]).status());
        assertEquals(201, whep(c[0], "agent_001", peer(ClientPeer.Role.PLAY).offer(), c[2]).status());
        StreamKey customerPath = new StreamKey(c[0], c[1]);
        List<String> seen = new CopyOnWriteArrayList<>();
        rooms.onDeliver = (user, frame) -> {
            String action = frame.path("action").asText();
            if (action.startsWith("call_")) {
                seen.add(user + " " + action + " paused=" + engine.isPaused(customerPath) + " peers=" + engine.size());
            }
        };
        rooms.send(room, "agent_001", "{\"action\":\"hold_call\"}");
        rooms.send(room, "agent_001", "{\"action\":\"resume_call\"}");
        rooms.send(room, c[1], "{\"action\":\"end_call\"}");
        // Each party is told only once the media already matches: no packet arrives after call_held.
        assertEquals(java.util.Set.of(
                c[1] + " call_held paused=true peers=2", "agent_001 call_held paused=true peers=2",
                c[1] + " call_resumed paused=false peers=2", "agent_001 call_resumed paused=false peers=2",
                c[1] + " call_ended paused=false peers=0", "agent_001 call_ended paused=false peers=0"),
                java.util.Set.copyOf(seen), seen.toString());
        assertEquals(6, seen.size(), seen.toString());
    }

    @Test
    void aStreamCreatedDuringHoldStartsPaused() throws Exception {
        String[] c = activeCall();
        String room = "customer-service/" + c[0];
        rooms.send(room, "agent_001", "{\"action\":\"hold_call\"}");
        assertEquals(201, whip(c[0], c[1], peer(ClientPeer.Role.PUBLISH).offer(), c[2]).status());
        assertTrue(engine.isPaused(new StreamKey(c[0], c[1])));
    }

    @Test
    void transferMovesTheCustomersPlayerAndClosesTheOldAgentsMedia() throws Exception {
        String[] c = activeCall();
        String room = "customer-service/" + c[0];
        assertEquals(201, whip(c[0], "agent_001", peer(ClientPeer.Role.PUBLISH).offer(), c[3]).status());
        HttpResponse player = whep(c[0], "agent_001", peer(ClientPeer.Role.PLAY).offer(), c[2]);
        assertEquals(201, player.status(), player.bodyAsString());
        rooms.send(room, "agent_001",
                "{\"action\":\"transfer_call\",\"to_agent_id\":\"agent_002\",\"to_agent_name\":\"Agent Li\"}");
        assertEquals(1, engine.size(), "the old agent's publisher is closed");
        assertEquals(room + "/agent_002", WebRtcGateway.streamPath(engine.peer(resourceId(player)).orElseThrow().stream()));
    }
}
