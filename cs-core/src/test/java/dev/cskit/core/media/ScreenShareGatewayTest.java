/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.http.HttpResponse;
import dev.cskit.core.CustomerService;
import dev.cskit.testkit.ClientPeer;
import dev.cskit.media.whip.GoneReason;
import dev.cskit.media.whip.PeerStats;
import dev.cskit.media.whip.StreamKey;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Screen shares through the WHIP/WHEP gateway, on the same in-memory host as {@link WebRtcGatewayTest}: the
 * {@code /screen} stream path, who may publish and play it, the per-party budget, and the {@code screen_share} frames
 * the room hears.
 */
class ScreenShareGatewayTest extends GatewayFixture {

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
