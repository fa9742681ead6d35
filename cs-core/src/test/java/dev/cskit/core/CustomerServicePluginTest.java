/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import dev.cskit.api.AgentAccount;
import dev.cskit.api.CsConfig;
import dev.cskit.api.CustomerServicePlugin;
import dev.cskit.api.PluginContext;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.http.HttpRequest;
import dev.cskit.api.http.HttpResponse;
import dev.cskit.api.room.RoomMessage;
import dev.cskit.core.http.RouteTable;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin through the SPI alone, on a tiny in-memory host: HTTP through {@link RouteTable}, rooms fake. */
class CustomerServicePluginTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "admin-token-0123456789";
    private static final String P = "/customer-service";

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock();
    // Timed tasks run only when a test says so: on a real pool the plugin's 5 s timeout sweep would read this
    // clock too, and once a test moved it past session_timeout it could end the session behind the test's back.
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private FakeRoomService rooms;
    private RouteTable http;
    private CustomerServicePlugin plugin;
    private CsConfig config;

    private record Resp(int status, JsonNode body, HttpResponse raw) {
        JsonNode data() {
            return body.get("data");
        }

        String message() {
            return body.path("message").asText();
        }
    }

    @BeforeEach
    void start() throws Exception {
        String hash = OpenBSDBCrypt.generate("2b", "secret".toCharArray(), new byte[16], 4);
        config = CsConfig.newBuilder()
                .dataDir(dataDir)
                .recordingDir(dataDir.resolve("recordings"))
                .maxSessions(3)
                .sessionTimeout(Duration.ofSeconds(3600))
                .adminToken(ADMIN)
                .agents(List.of(new AgentAccount("agent_001", "Agent Wang", hash),
                        new AgentAccount("agent_002", "Agent Li", hash)))
                .build();
        startPlugin();
    }

    private void startPlugin() throws Exception {
        rooms = new FakeRoomService(clock);
        http = new RouteTable();
        plugin = CustomerServicePlugin.load();
        plugin.start(PluginContext.newBuilder().rooms(rooms).http(http).scheduler(scheduler).clock(clock)
                .config(config).build());
    }

    @AfterEach
    void stop() {
        plugin.stop();
        scheduler.shutdownNow();
    }

    // ------------------------------------------------------------ HTTP helpers

    private Resp call(String method, String path, @Nullable String body, @Nullable String bearer) throws Exception {
        String[] pq = path.split("\\?", 2);
        HttpRequest.Builder b = HttpRequest.newBuilder(method, pq[0]).header("Host", "cs.test");
        if (pq.length == 2) {
            for (String kv : pq[1].split("&")) {
                String[] x = kv.split("=", 2);
                b.queryParam(x[0], URLDecoder.decode(x[1], StandardCharsets.UTF_8));
            }
        }
        if (body != null) {
            b.body(body).header("Content-Type", "application/json");
        }
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse r = http.handle(b.build());
        JsonNode n = r.contentType().startsWith("application/json") ? JSON.readTree(r.bodyAsString()) : null;
        if (n != null) {
            if (r.status() == 200) {
                assertEquals(0, n.get("code").asInt(), n.toString());
            } else {
                assertEquals(r.status(), n.get("code").asInt(), n.toString());
                assertFalse(n.path("message").asText().isBlank(), n.toString());
            }
        }
        return new Resp(r.status(), n, r);
    }

    private Resp admin(String method, String path, @Nullable String body) throws Exception {
        return call(method, path, body, ADMIN);
    }

    private JsonNode create(String title, String customer) throws Exception {
        Resp r = admin("POST", P + "/sessions", "{\"title\":\"" + title + "\",\"customer_name\":\"" + customer + "\"}");
        assertEquals(200, r.status(), r.body().toString());
        return r.data();
    }

    private static String room(String sessionId) {
        return "customer-service/" + sessionId;
    }

    private JsonNode last(String user, String action) {
        List<JsonNode> l = rooms.received(user, action);
        assertFalse(l.isEmpty(), user + " got no " + action + ": " + rooms.inbox(user));
        return l.get(l.size() - 1);
    }

    private String login(String agent) throws Exception {
        Resp r = call("POST", P + "/agents/login", "{\"agent_id\":\"" + agent + "\",\"password\":\"secret\"}", null);
        assertEquals(200, r.status(), r.body().toString());
        return r.data().get("token").asText();
    }

    // ------------------------------------------------------------ the full flow

    @Test
    void fullCallFlowThroughSpi() throws Exception {
        assertInstanceOf(CustomerService.class, plugin);
        JsonNode s = create("After-sales inquiry", "John");
        String id = s.get("id").asText();
        String cust = s.get("customer_id").asText();
        assertEquals("After-sales inquiry", s.get("title").asText());
        assertEquals("John", s.get("customer_name").asText());
        assertEquals("Waiting", s.get("status").asText());
        assertEquals("2024-01-15T10:30:00Z", s.get("created_at").asText());
        Set<String> keys = new TreeSet<>();
        s.fieldNames().forEachRemaining(keys::add);
        assertEquals(new TreeSet<>(List.of("id", "title", "description", "customer_id", "customer_name", "agent_id",
                "agent_name", "status", "on_hold", "created_at", "accepted_at", "ended_at", "duration", "end_reason",
                "rating", "recorded", "recording_disabled", "quality")), keys);

        JsonNode assigned = admin("POST", P + "/sessions/" + id + "/assign",
                "{\"agent_id\":\"agent_001\",\"agent_name\":\"Agent Wang\"}").data();
        assertEquals("agent_001", assigned.get("agent_id").asText());

        JsonNode links = admin("GET", P + "/sessions/" + id + "/links", null).data();
        String customerToken = links.get("customer_token").asText();
        String agentToken = links.get("agent_token").asText();
        assertEquals(cust, links.get("customer_id").asText());
        assertEquals("http://cs.test/?session=" + id + "&role=customer&token=" + customerToken,
                links.get("customer_url").asText());
        assertEquals("http://cs.test/?session=" + id + "&role=agent&token=" + agentToken, links.get("agent_url").asText());
        assertEquals("2024-01-15T11:30:00Z", links.get("expires_at").asText());

        // The customer reads its session with its own token (not an admin).
        assertEquals(200, call("GET", P + "/sessions/" + id, null, customerToken).status());

        // Join both; a third seat is refused by the host's limit of 2.
        assertEquals("joined", rooms.join(room(id), cust, customerToken));
        assertEquals("joined", rooms.join(room(id), "agent_001", agentToken));
        assertEquals("room_full", rooms.join(room(id), cust, customerToken));
        JsonNode agents = admin("GET", P + "/agents", null).data().get("agents");
        assertTrue(agents.get(0).get("in_room").asBoolean());
        assertFalse(agents.get(1).get("in_room").asBoolean());

        // Only the agent accepts; the customer's attempt is an error to the customer alone.
        rooms.send(room(id), cust, "{\"action\":\"accept_call\",\"room_id\":\"" + room(id) + "\",\"user_id\":\"agent_001\"}");
        assertEquals("forbidden", last(cust, "error").get("code").asText());
        assertTrue(rooms.received("agent_001", "error").isEmpty());
        clock.advance(Duration.ofSeconds(5));
        rooms.send(room(id), "agent_001", "{\"action\":\"accept_call\",\"room_id\":\"" + room(id) + "\"}");
        for (String u : List.of(cust, "agent_001")) {
            JsonNode f = last(u, "call_accepted");
            assertEquals(id, f.get("session_id").asText());
            assertEquals(room(id), f.get("room_id").asText());
            assertEquals("agent_001", f.get("agent_id").asText());
            assertEquals("2024-01-15T10:30:05Z", f.get("accepted_at").asText());
            assertEquals("Active", f.get("session").get("status").asText());
        }

        // Hold and resume.
        rooms.send(room(id), "agent_001", "{\"action\":\"hold_call\"}");
        assertTrue(last(cust, "call_held").get("session").get("on_hold").asBoolean());
        rooms.send(room(id), "agent_001", "{\"action\":\"hold_call\"}");
        assertEquals("conflict", last("agent_001", "error").get("code").asText());
        assertTrue(last("agent_001", "error").get("message").asText().contains("already on hold"));
        rooms.send(room(id), "agent_001", "{\"action\":\"resume_call\"}");
        assertFalse(last(cust, "call_resumed").get("session").get("on_hold").asBoolean());

        // Unknown action and a bad frame get errors; nothing changes.
        rooms.send(room(id), cust, "{\"action\":\"dance\"}");
        assertEquals("unknown_action", last(cust, "error").get("code").asText());
        rooms.send(room(id), cust, "{not json");
        assertEquals("bad_request", last(cust, "error").get("code").asText());
        rooms.send(room(id), "agent_001", "{\"action\":\"transfer_call\",\"to_agent_id\":5}");
        assertEquals("bad_request", last("agent_001", "error").get("code").asText());
        assertEquals("Active", admin("GET", P + "/sessions/" + id, null).data().get("status").asText());

        // Transfer: the customer is told, the old agent is told and removed, the new one joins.
        rooms.send(room(id), "agent_001",
                "{\"action\":\"transfer_call\",\"to_agent_id\":\"agent_002\",\"to_agent_name\":\"Agent Li\"}");
        JsonNode tf = last(cust, "call_transferred");
        assertEquals("agent_002", tf.get("agent_id").asText());
        assertEquals("Agent Li", tf.get("agent_name").asText());
        assertEquals(1, rooms.received("agent_001", "call_transferred").size());
        assertFalse(rooms.seated(room(id), "agent_001"));
        assertEquals("forbidden", rooms.join(room(id), "agent_001", agentToken)); // the old agent's link is bound to it
        assertEquals("forbidden", rooms.join(room(id), "agent_001", login("agent_001")));
        assertEquals("joined", rooms.join(room(id), "agent_002", login("agent_002")));
        JsonNode roomReport = admin("GET", P + "/rooms", null).data().get("rooms").get(0);
        assertEquals(id, roomReport.get("session_id").asText());
        assertEquals("Active", roomReport.get("status").asText());
        assertEquals(2, roomReport.get("participants").size());
        assertEquals("agent", roomReport.get("participants").get(1).get("role").asText());
        assertEquals("Agent Li", roomReport.get("participants").get(1).get("display_name").asText());

        // The customer hangs up after 60 s of call.
        clock.advance(Duration.ofSeconds(55));
        rooms.send(room(id), cust, "{\"action\":\"end_call\"}");
        for (String u : List.of(cust, "agent_002")) {
            JsonNode f = last(u, "call_ended");
            assertEquals("customer_hangup", f.get("reason").asText());
            assertEquals(55, f.get("duration").asLong());
        }
        assertTrue(rooms.rooms("customer-service/").isEmpty());
        assertEquals("session_ended", rooms.join(room(id), cust, customerToken));

        // Rating: only the customer's token, once.
        String rating = "{\"stars\":4,\"comment\":\"helpful\"}";
        assertEquals(401, call("POST", P + "/sessions/" + id + "/rating", rating, null).status());
        assertEquals(403, call("POST", P + "/sessions/" + id + "/rating", rating, agentToken).status());
        Resp rated = call("POST", P + "/sessions/" + id + "/rating", rating, customerToken);
        assertEquals(200, rated.status(), rated.body().toString());
        assertEquals(4, rated.data().get("rating").get("stars").asInt());
        assertEquals("helpful", rated.data().get("rating").get("comment").asText());
        assertEquals(409, call("POST", P + "/sessions/" + id + "/rating", rating, customerToken).status());

        JsonNode stats = admin("GET", P + "/stats", null).data();
        assertEquals(1, stats.get("total_sessions").asInt());
        assertEquals(0, stats.get("active_sessions").asInt());
        assertEquals(0, stats.get("waiting_sessions").asInt());
        assertEquals(1, stats.get("ended_sessions").asInt());
        assertEquals(1, stats.get("rated_sessions").asInt());
        assertEquals(4.0, stats.get("average_rating").asDouble());
        assertEquals(55.0, stats.get("average_duration").asDouble());
    }

    @Test
    void signalingRefusesForeignIdsEvenWhenAHostHandsSuchAFrameOn() throws Exception {
        JsonNode s = create("Defensive", "Dora");
        String id = s.get("id").asText();
        String cust = s.get("customer_id").asText();
        String token = admin("GET", P + "/sessions/" + id + "/links", null).data().get("customer_token").asText();
        assertEquals("joined", rooms.join(room(id), cust, token));
        // A host that skipped its seat check: the plugin still applies nothing to this seat.
        rooms.sendRaw(new RoomMessage(room(id), cust, "end_call", Map.of("room_id", room("cs_other")), "{}"));
        assertEquals("bad_request", last(cust, "error").get("code").asText());
        rooms.sendRaw(new RoomMessage(room(id), cust, "end_call", Map.of("user_id", "agent_001"), "{}"));
        assertEquals("forbidden", last(cust, "error").get("code").asText());
        assertEquals("Waiting", admin("GET", P + "/sessions/" + id, null).data().get("status").asText());
    }

    // ------------------------------------------------------------ join refusals

    @Test
    void recordingsAreListedAndServedToAdminsWithTheirContentTypes() throws Exception {
        String id = create("Recorded call", "Rita").get("id").asText();
        Path dir = dataDir.resolve("recordings").resolve(id);
        Files.createDirectories(dir);
        byte[] ogg = "OggS audio bytes".getBytes(StandardCharsets.US_ASCII);
        Files.write(dir.resolve("cust_abc-audio.ogg"), ogg);
        Files.write(dir.resolve("agent_001-video.ivf"), new byte[] {'D', 'K', 'I', 'F'});
        Files.write(dir.resolve("agent_001-video-2.h264"), new byte[] {0, 0, 0, 1, 0x67});
        Files.writeString(dir.resolve("notes.txt"), "not a recording");
        Files.writeString(dataDir.resolve("recordings").resolve("secret-audio.ogg"), "outside the session");

        JsonNode list = admin("GET", P + "/sessions/" + id + "/recordings", null).data().get("recordings");
        assertEquals(3, list.size(), list.toString());
        JsonNode first = list.get(0);
        assertEquals("agent_001-video-2.h264", first.get("name").asText());
        assertEquals("agent_001", first.get("user_id").asText());
        assertEquals("video", first.get("kind").asText());
        assertEquals("h264", first.get("codec").asText());
        assertEquals(5, first.get("bytes").asLong());
        assertFalse(first.get("created_at").asText().isBlank());
        JsonNode audio = list.get(2);
        assertEquals("cust_abc-audio.ogg", audio.get("name").asText());
        assertEquals("cust_abc", audio.get("user_id").asText());
        assertEquals("audio", audio.get("kind").asText());
        assertEquals("opus", audio.get("codec").asText());
        assertEquals(ogg.length, audio.get("bytes").asLong());

        Resp file = admin("GET", P + "/sessions/" + id + "/recordings/cust_abc-audio.ogg", null);
        assertEquals(200, file.status());
        assertEquals("audio/ogg", file.raw().contentType());
        assertArrayEquals(ogg, file.raw().body());
        assertTrue(file.raw().headers().contains(java.util.Map.entry("Content-Disposition",
                "attachment; filename=\"cust_abc-audio.ogg\"")), file.raw().headers().toString());
        assertEquals("video/x-ivf",
                admin("GET", P + "/sessions/" + id + "/recordings/agent_001-video.ivf", null).raw().contentType());
        assertEquals("video/h264",
                admin("GET", P + "/sessions/" + id + "/recordings/agent_001-video-2.h264", null).raw().contentType());

        for (String bad : List.of("notes.txt", "..-audio.ogg", ".hidden-audio.ogg", "x-audio.ogg.txt", "x..y-audio.ogg",
                "x-screen.ogg", "x-audio.mp4")) {
            assertEquals(400, admin("GET", P + "/sessions/" + id + "/recordings/" + bad, null).status(), bad);
        }
        assertEquals(404, admin("GET", P + "/sessions/" + id + "/recordings/nobody-audio.ogg", null).status());
        assertEquals(404, admin("GET", P + "/sessions/cs_nope/recordings", null).status());
        assertEquals(401, call("GET", P + "/sessions/" + id + "/recordings", null, null).status());
        assertEquals(401, call("GET", P + "/sessions/" + id + "/recordings/cust_abc-audio.ogg", null, null).status());

        // A session without recordings lists none.
        String other = create("Quiet call", "Quinn").get("id").asText();
        assertEquals(0, admin("GET", P + "/sessions/" + other + "/recordings", null).data().get("recordings").size());
    }

    @Test
    void joinRefusesBadTokens() throws Exception {
        String id = create("a", "Ann").get("id").asText();
        String other = create("b", "Ben").get("id").asText();
        JsonNode s = admin("GET", P + "/sessions/" + id, null).data();
        String cust = s.get("customer_id").asText();
        admin("POST", P + "/sessions/" + id + "/assign", "{\"agent_id\":\"agent_001\"}"); // name from config
        String token = admin("GET", P + "/sessions/" + id + "/links", null).data().get("customer_token").asText();
        String otherToken = admin("GET", P + "/sessions/" + other + "/links", null).data().get("customer_token").asText();

        assertEquals("unauthorized", rooms.join(room(id), cust, null));
        assertEquals("unauthorized", rooms.join(room(id), cust, "garbage"));
        assertEquals("unauthorized", rooms.join(room(id), cust, token.substring(0, token.length() - 2) + "xx"));
        assertEquals("forbidden", rooms.join(room(id), cust, otherToken));
        assertEquals("forbidden", rooms.join(room(id), "someone_else", token));
        assertTrue(last("someone_else", "error").get("message").asText().contains("join with user_id " + cust));
        assertEquals("forbidden", rooms.join(room(id), "agent_002", login("agent_002"))); // not assigned
        assertEquals("not_found", rooms.join(room("cs_missing"), cust, token));
        clock.advance(Duration.ofSeconds(3600)); // the link expires with session_timeout
        assertEquals("unauthorized", rooms.join(room(id), cust, token));
        assertTrue(last(cust, "error").get("message").asText().contains("expired"));
    }

    @Test
    void actionNamingAnotherRoomOrUserIsRefusedAndChangesNothing() throws Exception {
        JsonNode s = create("a", "Ann");
        String id = s.get("id").asText();
        String cust = s.get("customer_id").asText();
        String other = create("b", "Ben").get("id").asText();
        admin("POST", P + "/sessions/" + id + "/assign", "{\"agent_id\":\"agent_001\",\"agent_name\":\"Agent Wang\"}");
        admin("POST", P + "/sessions/" + other + "/assign", "{\"agent_id\":\"agent_001\",\"agent_name\":\"Agent Wang\"}");
        JsonNode links = admin("GET", P + "/sessions/" + id + "/links", null).data();
        assertEquals("joined", rooms.join(room(id), cust, links.get("customer_token").asText()));
        assertEquals("joined", rooms.join(room(id), "agent_001", links.get("agent_token").asText()));

        // Seated in room(id), the agent names the other session's room: refused, neither session moves.
        rooms.send(room(id), "agent_001", "{\"action\":\"accept_call\",\"room_id\":\"" + room(other)
                + "\",\"user_id\":\"agent_001\"}");
        JsonNode e = last("agent_001", "error");
        assertEquals("bad_request", e.get("code").asText());
        assertTrue(e.get("message").asText().contains(room(id)), e.toString());
        rooms.send(room(id), "agent_001", "{\"action\":\"accept_call\",\"room_id\":5}");
        assertEquals(2, rooms.received("agent_001", "error").size());
        // The agent's frame claims to come from the customer: refused as forbidden.
        rooms.send(room(id), "agent_001", "{\"action\":\"end_call\",\"room_id\":\"" + room(id)
                + "\",\"user_id\":\"" + cust + "\"}");
        assertEquals("forbidden", last("agent_001", "error").get("code").asText());
        assertTrue(rooms.received(cust, "call_accepted").isEmpty());
        assertTrue(rooms.received(cust, "call_ended").isEmpty());
        assertTrue(rooms.received(cust, "error").isEmpty(), "errors go to the sender only");
        assertEquals("Waiting", admin("GET", P + "/sessions/" + id, null).data().get("status").asText());
        assertEquals("Waiting", admin("GET", P + "/sessions/" + other, null).data().get("status").asText());

        // The documented frame, naming its own room and user, is applied.
        rooms.send(room(id), "agent_001", "{\"action\":\"accept_call\",\"room_id\":\"" + room(id)
                + "\",\"user_id\":\"agent_001\"}");
        assertEquals("Active", last(cust, "call_accepted").get("session").get("status").asText());
        assertEquals("Waiting", admin("GET", P + "/sessions/" + other, null).data().get("status").asText());
    }

    // ------------------------------------------------------------ HTTP bad input

    @Test
    void httpRejectsBadInputAndChangesNothing() throws Exception {
        String id = create("a", "Ann").get("id").asText();
        Resp malformed = admin("POST", P + "/sessions", "{\"title\":");
        assertEquals(400, malformed.status());
        assertTrue(malformed.message().contains("malformed JSON"), malformed.message());
        Resp wrongType = admin("POST", P + "/sessions", "{\"title\":5,\"customer_name\":\"x\"}");
        assertEquals(400, wrongType.status());
        assertEquals("field 'title' must be a string, was number", wrongType.message());
        assertEquals("the body must be a JSON object, was array", admin("POST", P + "/sessions", "[1]").message());
        assertEquals(400, admin("POST", P + "/sessions", "{\"title\":\"t\"}").status());
        assertEquals(400, admin("POST", P + "/sessions", "{\"title\":\"t\",\"customer_name\":\"c\"} trailing").status());
        assertEquals(400, admin("POST", P + "/sessions", "").status());
        assertEquals(413, admin("POST", P + "/sessions", "{\"title\":\"" + "x".repeat(70_000) + "\"}").status());
        assertEquals(400, admin("POST", P + "/sessions", "{\"title\":\"" + "x".repeat(201) + "\",\"customer_name\":\"c\"}").status());
        assertEquals(404, admin("GET", P + "/sessions/cs_nope", null).status());
        assertEquals(404, admin("POST", P + "/sessions/cs_nope/assign", "{\"agent_id\":\"a\",\"agent_name\":\"A\"}").status());
        assertEquals(400, admin("POST", P + "/sessions/" + id + "/assign", "{\"agent_id\":\"unknown\"}").status());
        assertEquals(409, admin("POST", P + "/sessions/" + id + "/transfer",
                "{\"to_agent_id\":\"agent_002\",\"to_agent_name\":\"Li\"}").status());
        assertEquals(400, admin("GET", P + "/sessions?status=Sleeping", null).status());
        assertEquals(400, admin("GET", P + "/sessions?page=x", null).status());
        assertEquals(400, admin("GET", P + "/sessions?page_size=0", null).status());
        assertEquals(400, admin("GET", P + "/sessions/" + id + "/qr?role=boss", null).status());
        Resp put = admin("PUT", P + "/sessions", "{}");
        assertEquals(405, put.status());
        assertEquals("GET, POST", put.raw().headers().get(0).getValue());
        assertEquals(404, admin("GET", P + "/nothing-here", null).status());

        // Auth: missing / wrong admin token, another session's token, wrong password.
        assertEquals(401, call("GET", P + "/stats", null, null).status());
        assertEquals(403, call("GET", P + "/stats", null, "wrong").status());
        String other = create("b", "Ben").get("id").asText();
        String otherToken = admin("GET", P + "/sessions/" + other + "/links", null).data().get("customer_token").asText();
        assertEquals(403, call("GET", P + "/sessions/" + id, null, otherToken).status());
        assertEquals(401, call("POST", P + "/agents/login", "{\"agent_id\":\"agent_001\",\"password\":\"nope\"}", null).status());
        assertEquals(401, call("POST", P + "/agents/login", "{\"agent_id\":\"ghost\",\"password\":\"secret\"}", null).status());
        assertEquals(400, call("POST", P + "/agents/login", "{\"agent_id\":\"agent_001\",\"password\":1}", null).status());
        assertEquals(400, call("POST", P + "/sessions/" + id + "/rating", "{\"stars\":\"5\"}", otherToken).status());

        // Nothing stored changed.
        JsonNode list = admin("GET", P + "/sessions", null).data();
        assertEquals(2, list.get("total").asInt());
        JsonNode first = admin("GET", P + "/sessions/" + id, null).data();
        assertEquals("Waiting", first.get("status").asText());
        assertTrue(first.get("agent_id").isNull());
    }

    @Test
    void listFiltersAndPages() throws Exception {
        String a = create("Refund", "Alice").get("id").asText();
        clock.advance(Duration.ofSeconds(1));
        String b = create("Delivery", "Bob").get("id").asText();
        admin("DELETE", P + "/sessions/" + a, null);
        JsonNode all = admin("GET", P + "/sessions", null).data();
        assertEquals(2, all.get("total").asInt());
        assertEquals(b, all.get("sessions").get(0).get("id").asText());
        assertEquals(20, all.get("page_size").asInt());
        JsonNode ended = admin("GET", P + "/sessions?status=ended", null).data();
        assertEquals(1, ended.get("total").asInt());
        assertEquals(a, ended.get("sessions").get(0).get("id").asText());
        assertEquals(b, admin("GET", P + "/sessions?q=bob", null).data().get("sessions").get(0).get("id").asText());
        JsonNode p2 = admin("GET", P + "/sessions?page=2&page_size=1", null).data();
        assertEquals(a, p2.get("sessions").get(0).get("id").asText());
        assertEquals(2, p2.get("page").asInt());
    }

    @Test
    void maxSessionsGives429() throws Exception {
        for (int i = 0; i < 3; i++) {
            create("t" + i, "c");
        }
        Resp r = admin("POST", P + "/sessions", "{\"title\":\"t\",\"customer_name\":\"c\"}");
        assertEquals(429, r.status());
        assertTrue(r.message().contains("max_sessions"), r.message());
    }

    // ------------------------------------------------------------ changes made elsewhere reach the room

    private String[] activeCall() throws Exception {
        JsonNode s = create("a", "Ann");
        String id = s.get("id").asText();
        String cust = s.get("customer_id").asText();
        admin("POST", P + "/sessions/" + id + "/assign", "{\"agent_id\":\"agent_001\",\"agent_name\":\"Agent Wang\"}");
        JsonNode links = admin("GET", P + "/sessions/" + id + "/links", null).data();
        assertEquals("joined", rooms.join(room(id), cust, links.get("customer_token").asText()));
        assertEquals("joined", rooms.join(room(id), "agent_001", links.get("agent_token").asText()));
        rooms.send(room(id), "agent_001", "{\"action\":\"accept_call\"}");
        return new String[] {id, cust, links.get("customer_token").asText()};
    }

    @Test
    void deleteOfActiveCallSendsCallEndedAndClosesRoom() throws Exception {
        String[] c = activeCall();
        Resp r = admin("DELETE", P + "/sessions/" + c[0], null);
        assertEquals(200, r.status());
        assertEquals("session closed", r.message());
        assertEquals("closed", last(c[1], "call_ended").get("reason").asText());
        assertEquals("closed", last("agent_001", "call_ended").get("reason").asText());
        assertTrue(rooms.room(room(c[0])).isEmpty());
        Resp again = admin("DELETE", P + "/sessions/" + c[0], null);
        assertEquals(409, again.status());
        assertTrue(again.message().contains("is Ended; only Waiting or Active sessions can be closed"));
    }

    @Test
    void timeoutSweepEndsCallAndNotifiesRoom() throws Exception {
        String[] c = activeCall();
        CustomerService cs = (CustomerService) plugin;
        clock.advance(Duration.ofSeconds(3599));
        assertEquals(0, cs.sessions().sweepTimeouts());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(1, cs.sessions().sweepTimeouts());
        assertEquals("timeout", last(c[1], "call_ended").get("reason").asText());
        assertEquals(3600, last("agent_001", "call_ended").get("duration").asLong());
        assertTrue(rooms.room(room(c[0])).isEmpty());
    }

    @Test
    void theSweepEndsACallWhoseRoomStaysEmptyForTwoMinutes() throws Exception {
        String[] c = activeCall();
        rooms.removeUser(room(c[0]), c[1], "{}");
        rooms.removeUser(room(c[0]), "agent_001", "{}");
        for (int s = 0; s < 115; s += 5) {
            clock.advance(Duration.ofSeconds(5));
            scheduler.runDue();
        }
        assertEquals("Active", admin("GET", P + "/sessions/" + c[0], null).data().get("status").asText());
        for (int s = 0; s < 15; s += 5) {
            clock.advance(Duration.ofSeconds(5));
            scheduler.runDue();
        }
        JsonNode ended = admin("GET", P + "/sessions/" + c[0], null).data();
        assertEquals("Ended", ended.get("status").asText());
        assertEquals("peer_gone", ended.get("end_reason").asText());
    }

    @Test
    void stopEndsActiveCallsAndRestartRestoresEverything() throws Exception {
        String[] c = activeCall();
        String waiting = create("w", "Wes").get("id").asText();
        plugin.stop();
        assertEquals("shutdown", last(c[1], "call_ended").get("reason").asText());
        assertEquals(0, http.size());
        startPlugin();
        JsonNode ended = admin("GET", P + "/sessions/" + c[0], null).data();
        assertEquals("Ended", ended.get("status").asText());
        assertEquals("shutdown", ended.get("end_reason").asText());
        assertEquals("Waiting", admin("GET", P + "/sessions/" + waiting, null).data().get("status").asText());
        assertEquals(2, admin("GET", P + "/stats", null).data().get("total_sessions").asInt());
        // The link key survived the restart: the customer can still rate with the old token.
        assertEquals(200, call("POST", P + "/sessions/" + c[0] + "/rating", "{\"stars\":5}", c[2]).status());
    }

    @Test
    void qrCodeEncodesTheLink() throws Exception {
        String id = create("a", "Ann").get("id").asText();
        Resp r = admin("GET", P + "/sessions/" + id + "/qr?role=customer", null);
        assertEquals(200, r.status());
        assertEquals("image/png", r.raw().contentType());
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(r.raw().body()));
        int[] px = img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
        // A rendered code is a pure barcode: decode it as one, so the test does not depend on zxing's detector.
        String text = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(
                new RGBLuminanceSource(img.getWidth(), img.getHeight(), px))),
                Map.of(DecodeHintType.PURE_BARCODE, Boolean.TRUE)).getText();
        assertTrue(text.startsWith("http://cs.test/?session=" + id + "&role=customer&token="), text);
        String token = URLDecoder.decode(text.substring(text.indexOf("&token=") + 7), StandardCharsets.UTF_8);
        assertEquals(200, call("GET", P + "/sessions/" + id, null, token).status());
    }

    @Test
    void withoutAdminTokenOnlyLoopbackClientsAreAdmins() throws Exception {
        plugin.stop();
        config = config.toBuilder().adminToken(null).build();
        startPlugin();
        HttpRequest local = HttpRequest.newBuilder("GET", P + "/stats").build();
        assertEquals(200, http.handle(local).status());
        HttpRequest remote = HttpRequest.newBuilder("GET", P + "/stats")
                .remoteAddress(new InetSocketAddress("203.0.113.9", 4000)).build();
        HttpResponse r = http.handle(remote);
        assertEquals(403, r.status());
        assertTrue(r.bodyAsString().contains("admin_token"), r.bodyAsString());
    }

    @Test
    void secondStartOnSameDataDirFails() throws Exception {
        CustomerServicePlugin second = new CustomerService();
        FakeRoomService otherRooms = new FakeRoomService(clock);
        RouteTable otherHttp = new RouteTable();
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> second.start(
                PluginContext.newBuilder().rooms(otherRooms).http(otherHttp).scheduler(scheduler).clock(clock)
                        .config(config).build()));
        assertTrue(e.getMessage().contains("in use"), e.getMessage());
        assertEquals(0, otherHttp.size()); // nothing stays registered
    }

    // ------------------------------------------------------------ agent pool over HTTP

    @Test
    void agentStatusQueueAndPerAgentStatsOverHttp() throws Exception {
        String token1 = login("agent_001");
        // An agent sets its own status; not another's; an admin may set anyone's.
        Resp own = call("POST", P + "/agents/agent_001/status", "{\"status\":\"ready\"}", token1);
        assertEquals(200, own.status(), own.body().toString());
        assertEquals("ready", own.data().get("state").asText());
        assertEquals(403, call("POST", P + "/agents/agent_002/status", "{\"status\":\"ready\"}", token1).status());
        assertEquals(401, call("POST", P + "/agents/agent_002/status", "{\"status\":\"ready\"}", null).status());
        assertEquals(400, admin("POST", P + "/agents/agent_002/status", "{\"status\":\"asleep\"}").status());
        assertEquals(404, admin("POST", P + "/agents/ghost/status", "{\"status\":\"ready\"}").status());
        assertEquals("online", admin("POST", P + "/agents/agent_002/status", "{\"status\":\"online\"}")
                .data().get("state").asText());

        // auto_assign is off here: nothing is queued, a manual call counts for the agent.
        JsonNode q = admin("GET", P + "/queue", null).data();
        assertFalse(q.get("auto_assign").asBoolean());
        JsonNode s = create("Billing", "Ann");
        String id = s.get("id").asText();
        assertEquals(0, admin("GET", P + "/queue", null).data().get("total").asInt());
        admin("POST", P + "/sessions/" + id + "/assign", "{\"agent_id\":\"agent_001\",\"agent_name\":\"Agent Wang\"}");
        JsonNode links = admin("GET", P + "/sessions/" + id + "/links", null).data();
        assertEquals("joined", rooms.join(room(id), "agent_001", links.get("agent_token").asText()));
        rooms.send(room(id), "agent_001", "{\"action\":\"accept_call\"}");
        assertEquals("busy", agentRow("agent_001").get("state").asText());
        clock.advance(Duration.ofSeconds(90));
        rooms.send(room(id), "agent_001", "{\"action\":\"end_call\"}");
        call("POST", P + "/sessions/" + id + "/rating", "{\"stars\":4}", links.get("customer_token").asText());
        JsonNode a1 = agentRow("agent_001");
        assertEquals("ready", a1.get("state").asText());
        assertEquals(1, a1.get("handled_today").asInt());
        assertEquals(90.0, a1.get("avg_duration").asDouble());
        assertEquals(4.0, a1.get("avg_rating").asDouble());
        JsonNode a2 = agentRow("agent_002");
        assertEquals(0, a2.get("handled_today").asInt());
        assertTrue(a2.get("avg_rating").isNull());

        // The agent's desk reads its own row with its login token, and nobody else's.
        Resp mine = call("GET", P + "/agents/agent_001", null, token1);
        assertEquals(200, mine.status(), mine.body().toString());
        assertEquals(1, mine.data().get("handled_today").asInt());
        assertEquals("ready", mine.data().get("state").asText());
        assertEquals(403, call("GET", P + "/agents/agent_002", null, token1).status());
        assertEquals(401, call("GET", P + "/agents/agent_001", null, null).status());
        assertEquals(404, admin("GET", P + "/agents/ghost", null).status());
    }

    private JsonNode agentRow(String agentId) throws Exception {
        for (JsonNode a : admin("GET", P + "/agents", null).data().get("agents")) {
            if (a.get("id").asText().equals(agentId)) {
                return a;
            }
        }
        throw new AssertionError("no agent " + agentId + " in GET /agents");
    }
}
