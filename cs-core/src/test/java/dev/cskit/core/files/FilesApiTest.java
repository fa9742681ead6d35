/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cskit.api.AgentAccount;
import dev.cskit.api.CsConfig;
import dev.cskit.api.FileType;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.PluginContext;
import dev.cskit.api.http.HttpHandler;
import dev.cskit.api.http.HttpRequest;
import dev.cskit.api.http.HttpRoutes;
import dev.cskit.api.room.RoomType;
import dev.cskit.core.CustomerService;
import dev.cskit.core.FakeRoomService;
import dev.cskit.core.ManualScheduler;
import dev.cskit.core.MutableClock;
import dev.cskit.core.PluginHarness;
import dev.cskit.core.http.RouteTable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files in a call's chat through the plugin's HTTP API and room, on the in-memory test host. */
class FilesApiTest {

    static final String ADMIN = "admin-token-0123456789";
    static final String P = PluginHarness.P;
    static final String BOUNDARY = "----formBoundaryX1y2Z3";

    @TempDir
    Path dataDir;
    PluginHarness h;
    String sessionId;
    String customerId;
    String customerToken;
    String agentToken;

    void start(UnaryOperator<CsConfig.Builder> tweak) throws Exception {
        String hash = OpenBSDBCrypt.generate("2b", "secret".toCharArray(), new byte[16], 4);
        CsConfig cfg = tweak.apply(CsConfig.newBuilder().dataDir(dataDir).adminToken(ADMIN)
                .agents(List.of(new AgentAccount("agent_001", "Agent Wang", hash)))).build();
        h = new PluginHarness(cfg, CustomerService::new);
        JsonNode s = h.admin("POST", P + "/sessions", "{\"title\":\"t\",\"customer_name\":\"Alice\"}").data();
        sessionId = s.get("id").asText();
        h.admin("POST", P + "/sessions/" + sessionId + "/assign", "{\"agent_id\":\"agent_001\"}");
        JsonNode links = h.admin("GET", P + "/sessions/" + sessionId + "/links", null).data();
        customerId = links.get("customer_id").asText();
        customerToken = links.get("customer_token").asText();
        agentToken = links.get("agent_token").asText();
    }

    @AfterEach
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    String room() {
        return RoomType.CUSTOMER_SERVICE.roomId(sessionId);
    }

    static byte[] png(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        byte[] magic = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
        System.arraycopy(magic, 0, b, 0, magic.length);
        return b;
    }

    static byte[] multipart(String filename, byte[] content) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        o.writeBytes(content);
        o.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return o.toByteArray();
    }

    PluginHarness.Resp upload(@Nullable String token, byte[] body, boolean multipart, @Nullable String name) {
        return upload(token, body, multipart ? "multipart/form-data; boundary=" + BOUNDARY : "application/octet-stream",
                name);
    }

    PluginHarness.Resp upload(@Nullable String token, byte[] body, String contentType, @Nullable String name) {
        HttpRequest.Builder b = HttpRequest.newBuilder("POST", P + "/sessions/" + sessionId + "/files")
                .header("Host", "cs.test").remoteAddress(new InetSocketAddress("127.0.0.1", 40000))
                .header("Content-Type", contentType).header("Content-Length", String.valueOf(body.length)).body(body);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (name != null) {
            b.queryParam("name", name);
        }
        return h.raw(b.build());
    }

    PluginHarness.Resp download(String path, @Nullable String bearer, @Nullable String queryToken) {
        HttpRequest.Builder b = HttpRequest.newBuilder("GET", path).header("Host", "cs.test")
                .remoteAddress(new InetSocketAddress("127.0.0.1", 40000));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        if (queryToken != null) {
            b.queryParam("token", queryToken);
        }
        return h.raw(b.build());
    }

    /** Every regular file under data_dir/files. */
    List<Path> filesOnDisk() throws IOException {
        Path root = dataDir.resolve("files");
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void aFileFromTheCustomerReachesTheAgentByteForByte() throws Exception {
        start(b -> b);
        assertEquals("joined", h.rooms.join(room(), customerId, customerToken));
        assertEquals("joined", h.rooms.join(room(), "agent_001", agentToken));
        byte[] content = png(200_000, 1);
        PluginHarness.Resp r = upload(customerToken, multipart("photo.png", content), true, null);
        assertEquals(200, r.status(), r.body().toString());
        JsonNode f = r.data();
        assertEquals("photo.png", f.get("name").asText());
        assertEquals(200_000, f.get("size").asLong());
        assertEquals("image/png", f.get("content_type").asText());
        String url = f.get("url").asText();
        assertEquals(P + "/sessions/" + sessionId + "/files/" + f.get("id").asText(), url);

        List<JsonNode> agentChat = h.rooms.received("agent_001", "chat");
        assertEquals(1, agentChat.size(), h.rooms.inbox("agent_001").toString());
        JsonNode frame = agentChat.get(0);
        assertEquals(customerId, frame.get("user_id").asText());
        assertEquals("Alice", frame.get("display_name").asText());
        assertEquals(f, frame.get("file"));
        assertTrue(frame.get("text").asText().contains("photo.png (200 KB)"), frame.toString());
        assertTrue(h.rooms.received(customerId, "chat").isEmpty(), "the sender is not told of its own file");

        PluginHarness.Resp got = download(url, agentToken, null);
        assertEquals(200, got.status());
        assertArrayEquals(content, got.raw().body());
        assertTrue(got.raw().file().isPresent(), "the file is served from disk, not from memory");
        assertEquals("image/png", got.raw().contentType());
        assertEquals("nosniff", got.header("X-Content-Type-Options").orElseThrow());
        assertEquals("attachment; filename=\"photo.png\"; filename*=UTF-8''photo.png",
                got.header("Content-Disposition").orElseThrow());
        assertArrayEquals(content, download(url, null, customerToken).raw().body(), "?token= works for links");
        assertArrayEquals(content, download(url, ADMIN, null).raw().body());
    }

    @Test
    void aRawBodyWithANameIsAFileToo() throws Exception {
        start(b -> b);
        byte[] text = "Order 1234: 3 items\r\nThanks — 谢谢\n".getBytes(StandardCharsets.UTF_8);
        PluginHarness.Resp r = upload(agentToken, text, false, "order.txt");
        assertEquals(200, r.status(), r.body().toString());
        assertEquals("text/plain; charset=utf-8", r.data().get("content_type").asText());
        assertArrayEquals(text, download(r.data().get("url").asText(), customerToken, null).raw().body());
        PluginHarness.Resp noName = upload(agentToken, text, false, null);
        assertEquals(400, noName.status());
        assertTrue(noName.message().contains("?name="), noName.message());
    }

    @Test
    void downloadsNeedATokenOfThatSession() throws Exception {
        start(b -> b);
        String url = upload(customerToken, png(1000, 2), false, "a.png").data().get("url").asText();
        assertEquals(401, download(url, null, null).status());
        assertEquals(401, download(url, "not-a-token", null).status());
        JsonNode other = h.admin("POST", P + "/sessions", "{\"title\":\"o\",\"customer_name\":\"Bob\"}").data();
        String otherToken = h.admin("GET", P + "/sessions/" + other.get("id").asText() + "/links", null).data()
                .get("customer_token").asText();
        PluginHarness.Resp forbidden = download(url, otherToken, null);
        assertEquals(403, forbidden.status());
        assertTrue(forbidden.message().contains("another session"), forbidden.message());
        assertEquals(403, download(url, null, otherToken).status());
        assertEquals(404, download(P + "/sessions/" + sessionId + "/files/f_nosuchfile000000", customerToken, null)
                .status());
        assertEquals(400, download(P + "/sessions/" + sessionId + "/files/..%2Fx", customerToken, null).status());
        assertEquals(401, upload(null, png(10, 3), false, "x.png").status());
        assertEquals(403, upload(otherToken, png(10, 3), false, "x.png").status());
    }

    @Test
    void anExecutableCalledPngIsRefusedByItsContentAndNothingStays() throws Exception {
        start(b -> b);
        byte[] exe = new byte[50_000];
        new Random(4).nextBytes(exe);
        exe[0] = 'M';
        exe[1] = 'Z';
        PluginHarness.Resp r = upload(customerToken, multipart("cat.png", exe), true, null);
        assertEquals(415, r.status());
        assertTrue(r.message().contains("Windows executable"), r.message());
        assertEquals(List.of(), filesOnDisk());
        assertFalse(Files.exists(dataDir.resolve("files").resolve(sessionId)), "no empty directory either");
        assertEquals(0, h.rooms.received("agent_001", "chat").size());
    }

    @Test
    void aFileOverMaxFileSizeIs413AndNothingStays() throws Exception {
        start(b -> b.maxFileSize(10_000));
        PluginHarness.Resp raw = upload(customerToken, png(10_001, 5), false, "big.png");
        assertEquals(413, raw.status());
        assertTrue(raw.message().contains("10000"), raw.message());
        assertEquals(413, upload(customerToken, multipart("big.png", png(10_001, 5)), true, null).status());
        assertEquals(List.of(), filesOnDisk());
        assertEquals(200, upload(customerToken, multipart("ok.png", png(10_000, 5)), true, null).status());
        assertEquals(2, filesOnDisk().size(), "the file and its description");
    }

    @Test
    void typesComeFromTheAllowlist() throws Exception {
        start(b -> b);
        byte[] zip = {'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0};
        PluginHarness.Resp r = upload(customerToken, zip, false, "docs.zip");
        assertEquals(415, r.status());
        assertTrue(r.message().contains("zip files are not accepted"), r.message());
        byte[] notQuiteText = ("hello\n" + "x".repeat(5000)).getBytes(StandardCharsets.US_ASCII);
        notQuiteText[4500] = 0; // binary past the sniffed head
        PluginHarness.Resp t = upload(customerToken, notQuiteText, false, "a.txt");
        assertEquals(415, t.status());
        assertTrue(t.message().contains("not plain text"), t.message());
        assertEquals(List.of(), filesOnDisk());
        h.close();
        h = null;
        start(b -> b.fileTypes(List.of(FileType.ZIP)));
        assertEquals(200, upload(customerToken, zip, false, "docs.zip").status());
        assertEquals(415, upload(customerToken, png(100, 6), false, "a.png").status());
    }

    @Test
    void namesAreMadeSafeAndFitTheContent() throws Exception {
        start(b -> b);
        PluginHarness.Resp r = upload(customerToken, multipart("..\\..\\evil\u202e.exe", png(100, 7)), true, null);
        assertEquals(200, r.status(), r.body().toString());
        assertEquals("evil_.exe.png", r.data().get("name").asText());
    }

    @Test
    void badMultipartBodiesAre400AndLeaveNothing() throws Exception {
        start(b -> b);
        byte[] cut = multipart("a.png", png(5000, 8));
        byte[] noClose = java.util.Arrays.copyOf(cut, cut.length - 10);
        PluginHarness.Resp r = upload(customerToken, noClose, true, null);
        assertEquals(400, r.status());
        assertTrue(r.message().contains("closing boundary"), r.message());
        byte[] otherField = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n--"
                + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        PluginHarness.Resp none = upload(customerToken, otherField, true, null);
        assertEquals(400, none.status());
        assertTrue(none.message().contains("no part named 'file'"), none.message());
        assertEquals(400, upload(customerToken, png(10, 9), "multipart/form-data", null).status());
        assertEquals(400, upload(customerToken, new byte[0], false, "empty.txt").status());
        assertEquals(List.of(), filesOnDisk());
    }

    @Test
    void anEndedSessionTakesNoFileButKeepsItsFilesForDownload() throws Exception {
        start(b -> b);
        String url = upload(customerToken, png(100, 10), false, "a.png").data().get("url").asText();
        h.admin("DELETE", P + "/sessions/" + sessionId, null);
        assertEquals(409, upload(customerToken, png(100, 10), false, "b.png").status());
        assertEquals(409, upload(ADMIN, png(100, 10), false, "b.png").status());
        assertEquals(200, download(url, customerToken, null).status());
    }

    @Test
    void adminsListASessionsFilesAndMaySendOne() throws Exception {
        start(b -> b);
        assertEquals("joined", h.rooms.join(room(), customerId, customerToken));
        assertEquals("joined", h.rooms.join(room(), "agent_001", agentToken));
        upload(customerToken, png(100, 11), false, "one.png");
        h.clock.advance(Duration.ofSeconds(1)); // listed oldest first
        upload(ADMIN, "note".getBytes(StandardCharsets.US_ASCII), false, "note.txt");
        assertEquals(2, h.rooms.received("agent_001", "chat").size());
        assertEquals("Admin", h.rooms.received(customerId, "chat").get(0).get("display_name").asText());
        JsonNode list = h.admin("GET", P + "/sessions/" + sessionId + "/files", null).data().get("files");
        assertEquals(2, list.size());
        assertEquals("one.png", list.get(0).get("name").asText());
        assertEquals("customer", list.get(0).get("sender").asText());
        assertEquals(customerId, list.get(0).get("sender_id").asText());
        assertEquals("admin", list.get(1).get("sender").asText());
        assertEquals(2, h.call("GET", P + "/sessions/" + sessionId + "/files", null, agentToken).data()
                .get("files").size());
        assertEquals(401, h.call("GET", P + "/sessions/" + sessionId + "/files", null, null).status());
    }

    @Test
    void filesSurviveARestartAndLeftoversDoNot() throws Exception {
        start(b -> b);
        String url = upload(customerToken, png(100, 12), false, "a.png").data().get("url").asText();
        Path dir = dataDir.resolve("files").resolve(sessionId);
        Files.write(dir.resolve("f_crashed00000000.part"), new byte[10]);
        Files.write(dir.resolve("f_nometa000000000"), new byte[10]);
        h.restart();
        assertEquals(200, download(url, customerToken, null).status());
        assertEquals(2, filesOnDisk().size(), filesOnDisk().toString());
    }

    @Test
    void retentionDeletesTheFilesOfSessionsEndedLongAgo() throws Exception {
        start(b -> b.retentionDays(2));
        upload(customerToken, png(100, 13), false, "a.png");
        JsonNode other = h.admin("POST", P + "/sessions", "{\"title\":\"o\",\"customer_name\":\"Bob\"}").data();
        String otherId = other.get("id").asText();
        String otherToken = h.admin("GET", P + "/sessions/" + otherId + "/links", null).data().get("customer_token")
                .asText();
        HttpRequest req = HttpRequest.newBuilder("POST", P + "/sessions/" + otherId + "/files").header("Host", "cs.test")
                .header("Authorization", "Bearer " + otherToken).queryParam("name", "b.png").body(png(100, 14)).build();
        assertEquals(200, h.raw(req).status());
        h.admin("DELETE", P + "/sessions/" + sessionId, null);
        FileRetention retention = new FileRetention(new FileStore(dataDir.resolve("files"), h.clock),
                h.plugin.sessions(), 2, h.clock);
        h.clock.advance(Duration.ofDays(2).minusMinutes(1));
        assertEquals(0, retention.sweep(), "not yet two days");
        h.clock.advance(Duration.ofMinutes(2));
        assertEquals(1, retention.sweep());
        assertFalse(Files.exists(dataDir.resolve("files").resolve(sessionId)));
        assertEquals(2, filesOnDisk().size(), "the session still open keeps its file");
    }

    @Test
    void retentionDaysRunsOnThePluginsScheduleAndKeepsTheSessionRecord() throws Exception {
        start(b -> b.retentionDays(3).sessionTimeout(Duration.ofDays(30)));
        String url = upload(customerToken, png(100, 15), false, "a.png").data().get("url").asText();
        h.admin("DELETE", P + "/sessions/" + sessionId, null);
        h.clock.advance(Duration.ofDays(3).minusHours(2));
        h.scheduler.runDue();
        assertEquals(2, filesOnDisk().size(), "not yet (the file and its description): " + filesOnDisk());
        assertEquals(200, download(url, ADMIN, null).status());
        h.clock.advance(Duration.ofHours(3)); // the hourly sweep after the third day
        h.scheduler.runDue();
        assertEquals(List.of(), filesOnDisk());
        assertFalse(Files.exists(dataDir.resolve("files").resolve(sessionId)));
        assertEquals(0, h.admin("GET", P + "/sessions/" + sessionId + "/files", null).data().get("files").size());
        assertEquals(404, download(url, ADMIN, null).status());
        assertEquals("Ended", h.admin("GET", P + "/sessions/" + sessionId, null).data().get("status").asText(),
                "only the files go; the session's record stays");
    }

    @Test
    void aHostThatCannotStreamStillStartsThePluginAndTakesFilesWhole() throws Exception {
        RouteTable table = new RouteTable();
        HttpRoutes wholeOnly = new HttpRoutes() { // addStreaming left to its default: unsupported
            @Override
            public void add(String method, String pattern, HttpHandler handler) {
                table.add(method, pattern, handler);
            }

            @Override
            public void removeAll(String prefix) {
                table.removeAll(prefix);
            }
        };
        String hash = OpenBSDBCrypt.generate("2b", "secret".toCharArray(), new byte[16], 4);
        CustomerService plugin = new CustomerService();
        MutableClock clock = new MutableClock();
        ManualScheduler scheduler = new ManualScheduler(clock);
        plugin.start(PluginContext.newBuilder().rooms(new FakeRoomService(clock)).http(wholeOnly).scheduler(scheduler)
                .clock(clock).config(CsConfig.newBuilder().dataDir(dataDir).adminToken(ADMIN).maxFileSize(1000)
                        .agents(List.of(new AgentAccount("agent_001", "Agent Wang", hash))).build())
                .build());
        try {
            HttpRequest create = HttpRequest.newBuilder("POST", P + "/sessions").header("Host", "cs.test")
                    .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                    .body("{\"title\":\"t\",\"customer_name\":\"Alice\"}".getBytes(StandardCharsets.UTF_8))
                    .build();
            String id = PluginHarness.JSON.readTree(table.handle(create).bodyAsString()).path("data").path("id")
                    .asText();
            HttpRequest.Builder up = HttpRequest.newBuilder("POST", P + "/sessions/" + id + "/files")
                    .header("Host", "cs.test").header("Authorization", "Bearer " + ADMIN).queryParam("name", "a.png");
            assertEquals(200, table.handle(up.body(png(900, 16)).build()).status());
            assertEquals(413, table.handle(up.body(png(1001, 17)).build()).status());
            assertEquals(2, filesOnDisk().size(), "the one file and its description");
        } finally {
            plugin.stop();
            scheduler.shutdownNow();
        }
    }

    @Test
    void theUploadRouteStreamsWithItsOwnLimit() throws Exception {
        start(b -> b.maxFileSize(1000));
        // The whole-body host path: a body past the route's limit (file plus multipart allowance) is 413 at once.
        byte[] huge = new byte[(int) (1000 + dev.cskit.core.http.FilesResourceAccess.allowance() + 1)];
        PluginHarness.Resp r = upload(customerToken, huge, false, "x.png");
        assertEquals(413, r.status());
    }
}
