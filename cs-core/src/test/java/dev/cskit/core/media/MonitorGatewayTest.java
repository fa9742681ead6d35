/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cskit.api.AgentAccount;
import dev.cskit.api.http.HttpResponse;
import dev.cskit.core.CustomerService;
import dev.cskit.testkit.ClientPeer;
import dev.cskit.media.whip.GoneReason;
import dev.cskit.media.whip.PeerStats;
import dev.cskit.media.whip.StreamKey;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Supervisor monitor and whisper through the WHIP/WHEP gateway (issue 16, item 6), on the same in-memory host as
 * {@link ScreenShareGatewayTest}: who may ask for a monitor token, what it may play and publish (that session's parties'
 * streams, its own whisper), that only the agent may play a whisper, that the supervisor takes no seat and the customer
 * hears of nothing, and the agent's {@code supervisor_listening} frames.
 */
class MonitorGatewayTest extends GatewayFixture {

    /** agent_001 and sup_001 are supervisors; agent_002 is not. */
    @Override
    List<AgentAccount> agents(String hash) {
        return List.of(new AgentAccount("agent_001", "Agent Wang", hash, true, 0, true),
                new AgentAccount("agent_002", "Agent Li", hash),
                new AgentAccount("sup_001", "Sue Supervisor", hash, true, 0, true));
    }

    // ------------------------------------------------------------------ helpers

    /** The monitor grant of {@code bearer} (the admin token, or an agent's login token) for a session. */
    private JsonNode monitor(String session, String bearer) throws Exception {
        HttpResponse r = call("POST", P + "/sessions/" + session + "/monitor", null, null, bearer);
        assertEquals(200, r.status(), r.bodyAsString());
        return JSON.readTree(r.bodyAsString()).get("data");
    }

    private String login(String agentId) {
        return ((CustomerService) plugin).tokens().issueAgent(agentId, 0, clock.instant().plusSeconds(3600));
    }

    private List<String> listening(String user) {
        return rooms.received(user, "supervisor_listening").stream()
                .map(f -> f.path("supervisor").asText() + " " + f.path("listening").asBoolean() + " "
                        + f.path("whisper_path").asText())
                .toList();
    }

    /** Every frame a user got that speaks of a supervisor in any way. */
    private List<JsonNode> supervisorTraces(String user) {
        return rooms.inbox(user).stream().filter(f -> f.toString().contains("supervisor")
                || f.toString().contains("sup_001") || f.toString().contains("whisper")).toList();
    }

    // ------------------------------------------------------------------ tests

    @Test
    void theAdminPlaysBothPartiesWithoutASeatAndOnlyTheAgentHearsOfItOrPlaysTheWhisper() throws Exception {
        String[] c = activeCall();
        String room = "customer-service/" + c[0];
        assertEquals(201, whip(c[0], c[1], peer(ClientPeer.Role.PUBLISH).offer(), c[2]).status());
        assertEquals(201, whip(c[0], "agent_001", peer(ClientPeer.Role.PUBLISH).offer(), c[3]).status());
        JsonNode grant = monitor(c[0], ADMIN);
        assertEquals("admin", grant.get("supervisor").asText());
        assertEquals("/webrtc/whep/" + room + "/" + c[1], grant.at("/streams/0/whep_url").asText());
        assertEquals("/webrtc/whep/" + room + "/agent_001", grant.at("/streams/1/whep_url").asText());
        assertEquals("/webrtc/whip/" + room + "/admin/whisper", grant.at("/whisper/whip_url").asText());
        String token = grant.get("token").asText();
        assertEquals(List.of(), listening("agent_001"), "a token alone is no listening");

        HttpResponse playCustomer = whep(c[0], c[1], peer(ClientPeer.Role.PLAY).offer(), token);
        assertEquals(201, playCustomer.status(), playCustomer.bodyAsString());
        HttpResponse playAgent = whep(c[0], "agent_001", peer(ClientPeer.Role.PLAY).offer(), token);
        assertEquals(201, playAgent.status(), playAgent.bodyAsString());
        assertEquals("supervisor:admin", engine.peer(resourceId(playCustomer)).orElseThrow().owner());
        String whisperPath = room + "/admin/whisper";
        assertEquals(List.of("admin true " + whisperPath), listening("agent_001"), "once, for the first resource");

        HttpResponse whisper = whip(c[0], "admin/whisper", peer(ClientPeer.Role.PUBLISH).offer(), token);
        assertEquals(201, whisper.status(), whisper.bodyAsString());
        assertEquals(new StreamKey(c[0], "admin", StreamKey.Source.WHISPER),
                engine.peer(resourceId(whisper)).orElseThrow().stream());
        HttpResponse agentHears = whep(c[0], "admin/whisper", peer(ClientPeer.Role.PLAY).offer(), c[3]);
        assertEquals(201, agentHears.status(), agentHears.bodyAsString());
        HttpResponse customerHears = whep(c[0], "admin/whisper", peer(ClientPeer.Role.PLAY).offer(), c[2]);
        assertEquals(403, customerHears.status());
        assertEquals("a supervisor's whisper is for the agent only", message(customerHears));

        // No seat, no frame for the customer, and the rooms list shows the supervisor apart from its users.
        assertEquals(List.of(c[1], "agent_001"), rooms.room(room).orElseThrow().participants().stream()
                .map(p -> p.userId()).toList());
        assertEquals(List.of(), supervisorTraces(c[1]), "the customer hears of nothing");
        JsonNode listed = admin("GET", P + "/rooms", null).get("rooms").get(0);
        assertEquals("[\"admin\"]", listed.get("monitored_by").toString());
        assertEquals(2, listed.get("participants").size());
        for (JsonNode m : listed.get("media")) {
            assertFalse(m.get("user_id").asText().contains("admin"), m.toString());
            assertFalse(m.get("stream_path").asText().endsWith("/whisper") && m.get("kind").asText().equals("publish"),
                    m.toString());
        }
        assertEquals(3, listed.get("media").size(), "two cameras and the agent's whisper player: " + listed);

        // Its resources are its own: a party cannot delete them; when the last ends, the agent hears it stopped.
        assertEquals(403, call("DELETE", "/webrtc/session/" + resourceId(playCustomer), null, null, c[2]).status());
        assertEquals(403, call("DELETE", "/webrtc/session/" + resourceId(playCustomer), null, null, c[3]).status());
        for (HttpResponse res : List.of(playCustomer, playAgent)) {
            assertEquals(200, call("DELETE", "/webrtc/session/" + resourceId(res), null, null, token).status());
        }
        assertEquals(1, listening("agent_001").size(), "the whisper still listens");
        PeerStats gone = engine.peer(resourceId(whisper)).orElseThrow();
        engine.delete(gone.id()); // the supervisor's tab closed: consent expired
        ((CustomerService) plugin).media().orElseThrow().onGone(gone, GoneReason.CONSENT_EXPIRED);
        assertEquals(List.of("admin true " + whisperPath, "admin false " + whisperPath), listening("agent_001"));
        assertTrue(rooms.seated(room, c[1]) && rooms.seated(room, "agent_001"), "nobody lost a seat");
        assertEquals("[]", admin("GET", P + "/rooms", null).at("/rooms/0/monitored_by").toString());
        assertEquals(List.of(), supervisorTraces(c[1]));
    }

    @Test
    void aMonitorTokenPlaysOnlyItsSessionsPartiesAndPublishesOnlyItsOwnWhisper() throws Exception {
        String[] c = activeCall();
        String[] other = activeCallWithSecondAgent();
        String token = monitor(c[0], ADMIN).get("token").asText();
        String play = peer(ClientPeer.Role.PLAY).offer();
        String offer = peer(ClientPeer.Role.PUBLISH).offer();

        HttpResponse elsewhere = whep(other[0], other[1], play, token);
        assertEquals(403, elsewhere.status());
        assertEquals("the monitor token is for session " + c[0] + ", not " + other[0], message(elsewhere));
        assertEquals(403, whep(c[0], "agent_002", play, token).status(), "no party of the call");
        assertEquals(403, whep(c[0], "admin/whisper", play, token).status(), "not even its own whisper");
        assertEquals(403, whip(c[0], c[1], offer, token).status(), "a party's camera");
        assertEquals(403, whip(c[0], "sup_001/whisper", offer, token).status(), "another supervisor's whisper");
        assertEquals(201, whep(c[0], c[1] + "/screen", play, token).status(), "a party's screen");
        // No party may publish a whisper; the customer may not play one.
        assertEquals(403, whip(c[0], c[1] + "/whisper", offer, c[2]).status());
        assertEquals(403, whip(c[0], "agent_001/whisper", offer, c[3]).status());
        assertEquals(403, whep(c[0], "admin/whisper", play, c[2]).status());
        // A monitor token is no party: it joins no room and reads no session as one.
        assertEquals("forbidden", rooms.join("customer-service/" + c[0], "admin", token));
        assertEquals(403, call("GET", P + "/sessions/" + c[0] + "/recording", null, null, token).status());
        // A forged token is refused as any bad token.
        String forged = token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA");
        assertEquals(401, whep(c[0], c[1], play, forged).status());
        assertEquals(1, engine.size(), "only the screen player was made");

        rooms.send("customer-service/" + c[0], c[1], "{\"action\":\"end_call\"}");
        assertEquals(409, whep(c[0], c[1], play, token).status(), "the call ended");
        String otherRoom = "customer-service/" + other[0];
        assertEquals("joined", rooms.join(otherRoom, other[1], other[2]));
        assertEquals("joined", rooms.join(otherRoom, "agent_002", other[3]));
        rooms.send(otherRoom, "agent_002", "{\"action\":\"accept_call\"}");
        String fresh = monitor(other[0], ADMIN).get("token").asText();
        clock.advance(Monitors.TOKEN_TTL);
        assertEquals(401, whep(other[0], other[1], play, fresh).status(), "a monitor token is short-lived");
    }

    @Test
    void onlySupervisorsGetAMonitorTokenAndLosingTheRoleEndsIt() throws Exception {
        String[] c = activeCall();
        String path = P + "/sessions/" + c[0] + "/monitor";
        assertEquals(401, call("POST", path, null, null, null).status(), "the admin token is set");
        assertEquals(403, call("POST", path, null, null, "wrong-admin-token").status());
        HttpResponse notSupervisor = call("POST", path, null, null, login("agent_002"));
        assertEquals(403, notSupervisor.status());
        assertTrue(message(notSupervisor).contains("agent_002 is not a supervisor"), message(notSupervisor));
        HttpResponse ownCall = call("POST", path, null, null, login("agent_001"));
        assertEquals(409, ownCall.status(), "agent_001 is a supervisor, but this is its own call");
        assertEquals(403, call("POST", path, null, null, c[2]).status(), "the customer's link");

        JsonNode grant = monitor(c[0], login("sup_001"));
        assertEquals("sup_001", grant.get("supervisor").asText());
        String token = grant.get("token").asText();
        assertEquals(201, whep(c[0], c[1], peer(ClientPeer.Role.PLAY).offer(), token).status());
        assertEquals(201, whip(c[0], "sup_001/whisper", peer(ClientPeer.Role.PUBLISH).offer(), token).status());
        assertEquals(List.of("sup_001 true customer-service/" + c[0] + "/sup_001/whisper"), listening("agent_001"));

        // The admin takes the role away: the token stops working at once (the agent's login stays).
        admin("PATCH", P + "/agents/sup_001", "{\"supervisor\":false}");
        HttpResponse revoked = whep(c[0], "agent_001", peer(ClientPeer.Role.PLAY).offer(), token);
        assertEquals(401, revoked.status());
        assertTrue(message(revoked).contains("no longer a supervisor"), message(revoked));
        assertEquals(403, call("POST", path, null, null, login("sup_001")).status());
        assertFalse(admin("GET", P + "/agents/sup_001", null).get("supervisor").asBoolean());
        JsonNode made = admin("PATCH", P + "/agents/agent_002", "{\"supervisor\":true}");
        assertTrue(made.get("supervisor").asBoolean());
        assertEquals(400, call("PATCH", P + "/agents/agent_002", "application/json", "{\"supervisor\":null}", ADMIN)
                .status());

        // A waiting call has nothing to monitor.
        JsonNode waiting = admin("POST", P + "/sessions", "{\"title\":\"w\",\"customer_name\":\"Cy\"}");
        assertEquals(409, call("POST", P + "/sessions/" + waiting.get("id").asText() + "/monitor", null, null, ADMIN)
                .status());
        assertEquals(404, call("POST", P + "/sessions/nope/monitor", null, null, ADMIN).status());
    }

    @Test
    void anAgentThatTakesItsSeatWhileASupervisorListensHearsOfItAndTheCustomerNever() throws Exception {
        String[] c = activeCall();
        String room = "customer-service/" + c[0];
        String token = monitor(c[0], ADMIN).get("token").asText();
        assertEquals(201, whep(c[0], c[1], peer(ClientPeer.Role.PLAY).offer(), token).status());
        assertTrue(rooms.removeUser(room, "agent_001", ""));
        assertTrue(rooms.removeUser(room, c[1], ""));
        assertEquals("joined", rooms.join(room, c[1], c[2]));
        assertEquals("joined", rooms.join(room, "agent_001", c[3]));
        assertEquals(2, listening("agent_001").size(), "told again on its return");
        assertEquals(List.of(), supervisorTraces(c[1]));
    }
}
