/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.media;

import static dev.cskit.core.PluginHarness.P;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cskit.api.AgentAccount;
import dev.cskit.api.CsConfig;
import dev.cskit.api.http.HttpRequest;
import dev.cskit.core.CustomerService;
import dev.cskit.core.PluginHarness;
import dev.cskit.core.PluginHarness.Resp;
import dev.cskit.media.forward.CodecSpec;
import dev.cskit.media.forward.MediaKind;
import dev.cskit.media.forward.TrackSpec;
import dev.cskit.media.rtp.RtpPacket;
import dev.cskit.media.whip.StreamKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recording consent through the plugin on an in-memory host with a media port: the status the pages read before
 * media starts ({@code GET …/recording}, with the configured {@code consent_notice}); the first recorded packet
 * makes the session {@code recorded} and tells both parties ({@code recording} frame, {@code active: true}); an admin
 * turns it off ({@code POST …/recording {"enabled":false}}), which stops the recorder, tells both parties, and holds
 * across a restart; bad requests change nothing. The packets are handed to the recorder as the media engine would
 * (its packet tap); the host's blocking executor runs inline, so the session is marked before {@code onRtp} returns.
 */
class RecordingConsentTest {

    private static final String ADMIN = "admin-token-0123456789";
    private static final String NOTICE = "This call is recorded for training. Tell the agent if you object.";
    private static final CodecSpec OPUS = new CodecSpec(111, "opus", 48000, 2, "");
    private static final TrackSpec AUDIO = new TrackSpec("0", MediaKind.AUDIO, List.of(OPUS), Map.of(), false, 1);
    private static final byte[] OPUS_20MS = HexFormat.of().parseHex("fc0102030405060708");

    @TempDir
    Path dataDir;

    @TempDir
    Path recordingDir;

    private PluginHarness h;
    private int seq;

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    private void start(boolean recording) throws Exception {
        CsConfig cfg = CsConfig.newBuilder().dataDir(dataDir).adminToken(ADMIN).enableRecording(recording)
                .recordingDir(recordingDir).consentNotice("  " + NOTICE + "\n")
                .agents(List.of(new AgentAccount("agent_001", "Agent Wang", ""))).build();
        h = new PluginHarness(cfg, CustomerService::new, new NoMediaPort());
    }

    /** An accepted call with both parties seated: {id, customerId, customerToken, agentToken}. */
    private String[] activeCall() {
        String id = h.admin("POST", P + "/sessions", "{\"title\":\"t\",\"customer_name\":\"Ann\"}").data()
                .get("id").asText();
        h.admin("POST", P + "/sessions/" + id + "/assign", "{\"agent_id\":\"agent_001\",\"agent_name\":\"Agent Wang\"}");
        JsonNode links = h.admin("GET", P + "/sessions/" + id + "/links", null).data();
        String cust = links.get("customer_id").asText();
        String room = "customer-service/" + id;
        assertEquals("joined", h.rooms.join(room, cust, links.get("customer_token").asText()));
        assertEquals("joined", h.rooms.join(room, "agent_001", links.get("agent_token").asText()));
        h.rooms.send(room, "agent_001", "{\"action\":\"accept_call\"}");
        return new String[] {id, cust, links.get("customer_token").asText(), links.get("agent_token").asText()};
    }

    /** One Opus packet of {@code user} in session {@code id}, as the engine's tap hands it over. */
    private void packet(String id, String user) {
        byte[] b = new byte[12 + OPUS_20MS.length];
        RtpPacket.writeHeader(b, 0, 111, true, seq, 960L * seq, 0x1234);
        seq++;
        System.arraycopy(OPUS_20MS, 0, b, 12, OPUS_20MS.length);
        CallRecorder rec = h.plugin.media().orElseThrow().recorder().orElseThrow();
        rec.onRtp(new StreamKey(id, user), AUDIO, OPUS, b, 0, b.length);
    }

    private CallRecorder recorder() {
        return h.plugin.media().orElseThrow().recorder().orElseThrow();
    }

    private JsonNode status(String id, String token) {
        Resp r = h.call("GET", P + "/sessions/" + id + "/recording", null, token);
        assertEquals(200, r.status(), r.body().toString());
        return r.data();
    }

    private static void assertStatus(JsonNode st, boolean enabled, boolean active, boolean recorded) {
        assertEquals(enabled, st.get("enabled").asBoolean(), st.toString());
        assertEquals(active, st.get("active").asBoolean(), st.toString());
        assertEquals(recorded, st.get("recorded").asBoolean(), st.toString());
        if (enabled) {
            assertEquals(NOTICE, st.get("consent_notice").asText(), st.toString());
        } else {
            assertTrue(st.get("consent_notice").isNull(), st.toString());
        }
    }

    private List<JsonNode> frames(String user) {
        return h.rooms.received(user, RecordingConsent.FRAME);
    }

    @Test
    void firstRecordedPacketMarksTheSessionAndTellsBothPartiesOnce() throws Exception {
        start(true);
        String[] c = activeCall();
        String id = c[0];
        // Before media: the customer's page reads the notice with its link token, the agent's with its token.
        assertStatus(status(id, c[2]), true, false, false);
        assertStatus(status(id, c[3]), true, false, false);
        assertStatus(status(id, ADMIN), true, false, false);
        assertTrue(frames(c[1]).isEmpty());

        packet(id, c[1]);
        assertTrue(h.admin("GET", P + "/sessions/" + id, null).data().get("recorded").asBoolean());
        for (String user : new String[] {c[1], "agent_001"}) {
            List<JsonNode> f = frames(user);
            assertEquals(1, f.size(), user + ": " + f);
            assertEquals(id, f.get(0).get("session_id").asText());
            assertEquals("customer-service/" + id, f.get(0).get("room_id").asText());
            assertStatus(f.get(0), true, true, true);
        }
        assertStatus(status(id, c[2]), true, true, true);
        JsonNode listed = h.admin("GET", P + "/sessions", null).data().get("sessions").get(0);
        assertTrue(listed.get("recorded").asBoolean(), listed.toString());
        assertFalse(listed.get("recording_disabled").asBoolean(), listed.toString());

        for (int i = 0; i < 10; i++) {
            packet(id, c[1]);
        }
        packet(id, "agent_001"); // the agent's track starts: the session is recorded already
        h.rooms.send("customer-service/" + id, "agent_001", "{\"action\":\"hold_call\"}");
        assertEquals(1, frames(c[1]).size(), "no frame unless what the parties see changes");
        assertEquals(2, recorder().active().size());
    }

    @Test
    void anAdminTurnsRecordingOffForASessionItStopsTellsBothAndHoldsAcrossARestart() throws Exception {
        start(true);
        String[] c = activeCall();
        String id = c[0];
        packet(id, c[1]);
        packet(id, "agent_001");
        assertEquals(2, recorder().active().size());
        Path file = recordingDir.resolve(id).resolve(c[1] + "-audio.ogg");

        Resp same = h.admin("POST", P + "/sessions/" + id + "/recording", "{\"enabled\":true}");
        assertEquals(200, same.status(), same.body().toString());
        assertStatus(same.data(), true, true, true);
        assertEquals(1, frames(c[1]).size());

        Resp off = h.admin("POST", P + "/sessions/" + id + "/recording", "{\"enabled\":false}");
        assertEquals(200, off.status(), off.body().toString());
        assertStatus(off.data(), false, false, true);
        assertTrue(recorder().active().isEmpty(), "the session's recorders are closed");
        for (String user : new String[] {c[1], "agent_001"}) {
            List<JsonNode> f = frames(user);
            assertEquals(2, f.size(), user + ": " + f);
            assertStatus(f.get(1), false, false, true);
        }
        JsonNode s = h.admin("GET", P + "/sessions/" + id, null).data();
        assertTrue(s.get("recorded").asBoolean());
        assertTrue(s.get("recording_disabled").asBoolean());
        long size = Files.size(file);
        packet(id, c[1]);
        assertTrue(recorder().active().isEmpty(), "later packets are not recorded");
        assertEquals(size, Files.size(file));

        Resp again = h.admin("POST", P + "/sessions/" + id + "/recording", "{\"enabled\":false}");
        assertEquals(200, again.status(), again.body().toString());
        Resp on = h.admin("POST", P + "/sessions/" + id + "/recording", "{\"enabled\":true}");
        assertEquals(409, on.status(), on.body().toString());
        assertTrue(on.message().contains("not turned on again"), on.message());
        assertEquals(2, frames(c[1]).size(), "neither the repeat nor the refusal says anything to the room");

        h.restart(); // a restarted server must not record the session again
        assertTrue(h.plugin.sessions().require(id).recordingDisabled());
        packet(id, c[1]);
        packet(id, "agent_001");
        assertTrue(recorder().active().isEmpty());
        assertEquals(size, Files.size(file));
    }

    @Test
    void badRequestsToTurnRecordingOffGetAClearErrorAndChangeNothing() throws Exception {
        start(true);
        String[] c = activeCall();
        String id = c[0];
        packet(id, c[1]);
        String path = P + "/sessions/" + id + "/recording";
        record Bad(int status, String what, Resp resp) {
        }
        List<Bad> bad = List.of(
                new Bad(400, "'enabled' is required", h.admin("POST", path, "{}")),
                new Bad(400, "must be true or false", h.admin("POST", path, "{\"enabled\":\"false\"}")),
                new Bad(400, "must be true or false", h.admin("POST", path, "{\"enabled\":0}")),
                new Bad(400, "unknown field 'reason'", h.admin("POST", path, "{\"enabled\":false,\"reason\":\"x\"}")),
                new Bad(400, "", h.admin("POST", path, "{\"enabled\":false")),
                new Bad(400, "", h.admin("POST", path, "[false]")),
                new Bad(404, "no session cs_nope", h.admin("POST", P + "/sessions/cs_nope/recording",
                        "{\"enabled\":false}")),
                new Bad(400, "session id", h.admin("POST", P + "/sessions/c$s/recording", "{\"enabled\":false}")),
                new Bad(401, "", h.call("POST", path, "{\"enabled\":false}", null, "203.0.113.9")),
                new Bad(403, "", h.call("POST", path, "{\"enabled\":false}", c[2], "203.0.113.9")),
                new Bad(403, "", h.call("POST", path, "{\"enabled\":false}", c[3], "203.0.113.9")),
                new Bad(415, "", h.raw(HttpRequest.newBuilder("POST", path).header("Host", "cs.test")
                        .header("Authorization", "Bearer " + ADMIN).body("{\"enabled\":false}")
                        .header("Content-Type", "text/plain").build())));
        for (Bad b : bad) {
            assertEquals(b.status(), b.resp().status(), b.what() + ": " + b.resp().body());
            assertTrue(b.resp().message().contains(b.what()), b.what() + ": " + b.resp().message());
        }
        assertFalse(h.plugin.sessions().require(id).recordingDisabled());
        assertEquals(1, recorder().active().size(), "the recorder goes on");
        assertEquals(1, frames(c[1]).size());
        // Reading the status needs a party's token or an admin too.
        Resp anonymous = h.call("GET", path, null, null, "203.0.113.9");
        assertEquals(401, anonymous.status(), anonymous.body().toString());
        Resp forged = h.call("GET", path, null, c[2] + "x", "203.0.113.9");
        assertEquals(401, forged.status(), forged.body().toString());
    }

    @Test
    void withoutRecordingThereIsNoNoticeNoIndicatorAndNothingToTurnOff() throws Exception {
        start(false);
        String[] c = activeCall();
        String id = c[0];
        assertTrue(h.plugin.media().orElseThrow().recorder().isEmpty());
        assertStatus(status(id, c[2]), false, false, false);
        Resp off = h.admin("POST", P + "/sessions/" + id + "/recording", "{\"enabled\":false}");
        assertEquals(409, off.status(), off.body().toString());
        assertTrue(off.message().contains("does not record calls"), off.message());
        JsonNode s = h.admin("GET", P + "/sessions/" + id, null).data();
        assertFalse(s.get("recorded").asBoolean());
        assertFalse(s.get("recording_disabled").asBoolean());
        assertTrue(frames(c[1]).isEmpty());
    }

    @Test
    void anEndedCallIsNoLongerRecordedAndCannotBeTurnedOff() throws Exception {
        start(true);
        String[] c = activeCall();
        String id = c[0];
        packet(id, c[1]);
        h.rooms.send("customer-service/" + id, c[1], "{\"action\":\"end_call\"}");
        assertStatus(status(id, ADMIN), false, false, true);
        Resp off = h.admin("POST", P + "/sessions/" + id + "/recording", "{\"enabled\":false}");
        assertEquals(409, off.status(), off.body().toString());
        assertFalse(h.plugin.sessions().require(id).recordingDisabled());
    }
}
