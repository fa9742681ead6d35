/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cskit.api.annotation.Nullable;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 acceptance 5 over real sockets: a 1 MB PNG from the customer to the agent, byte for byte, and in the
 * admin's file list; 11 MB refused with 413 leaving nothing on disk; an executable named .png refused by its
 * content; downloads need a token of the session; every other route keeps the 64 KiB body limit. And the memory
 * claim: a 50 MB file through a server whose heap is capped at 48 MB. ({@code retention_days} is tested on a manual
 * clock in cs-core's {@code FilesApiTest}.)
 */
@Timeout(180)
class FilesIT {

    static final String BOUNDARY = "----cskitFilesIT0123456789";

    @TempDir
    Path dataDir;

    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    /** A session with agent_001 assigned: its id and both parties' tokens. */
    record Call(String id, String customerId, String customerToken, String agentToken) {
    }

    static Call call(Http http) {
        String id = http.createSession("files", "Alice").path("id").asText();
        http.assign(id, InProcessServer.AGENT1, InProcessServer.AGENT1_NAME);
        JsonNode l = http.links(id);
        return new Call(id, l.path("customer_id").asText(), l.path("customer_token").asText(),
                l.path("agent_token").asText());
    }

    /** A real PNG of random pixels, about 1 MB (noise does not compress). */
    static byte[] png() throws IOException {
        BufferedImage img = new BufferedImage(580, 580, BufferedImage.TYPE_INT_RGB);
        Random r = new Random(16);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                img.setRGB(x, y, r.nextInt(1 << 24));
            }
        }
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ImageIO.write(img, "png", o);
        return o.toByteArray();
    }

    static byte[] multipart(String filename, byte[] content) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        o.writeBytes(content);
        o.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return o.toByteArray();
    }

    HttpResponse<byte[]> send(HttpRequest.Builder b) throws Exception {
        return client.send(b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> uploadMultipart(int port, String sessionId, @Nullable String token, String filename,
                                         byte[] content) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/customer-service/sessions/" + sessionId + "/files"))
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(filename, content)));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b);
    }

    HttpResponse<byte[]> download(int port, String url, @Nullable String bearer, @Nullable String queryToken)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + url
                + (queryToken != null ? "?token=" + queryToken : ""))).GET();
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return send(b);
    }

    static JsonNode json(HttpResponse<byte[]> r) throws IOException {
        return Http.JSON.readTree(r.body());
    }

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
    void aOneMegabytePngGoesFromTheCustomerToTheAgentByteForByte() throws Exception {
        try (InProcessServer server = InProcessServer.start(dataDir);
             RoomClient customer = server.room("customer");
             RoomClient agent = server.room("agent")) {
            Call c = call(server.http);
            assertEquals("joined", customer.join(c.id(), c.customerId(), c.customerToken()).path("action").asText());
            assertEquals("joined", agent.join(c.id(), InProcessServer.AGENT1, c.agentToken()).path("action").asText());
            byte[] png = png();
            assertTrue(png.length > 1_000_000, "about 1 MB: " + png.length);

            HttpResponse<byte[]> up = uploadMultipart(server.port(), c.id(), c.customerToken(), "screenshot.png", png);
            assertEquals(200, up.statusCode(), new String(up.body(), StandardCharsets.UTF_8));
            JsonNode file = json(up).path("data");
            assertEquals("screenshot.png", file.path("name").asText());
            assertEquals(png.length, file.path("size").asLong());
            assertEquals("image/png", file.path("content_type").asText());

            JsonNode chat = agent.expect("chat");
            assertEquals(c.customerId(), chat.path("user_id").asText());
            assertEquals(file, chat.path("file"), "the agent's page gets the file's name, size and link");
            String url = chat.path("file").path("url").asText();

            HttpResponse<byte[]> got = download(server.port(), url, c.agentToken(), null);
            assertEquals(200, got.statusCode());
            assertArrayEquals(png, got.body());
            assertEquals("image/png", got.headers().firstValue("Content-Type").orElseThrow());
            assertEquals("nosniff", got.headers().firstValue("X-Content-Type-Options").orElseThrow());
            assertTrue(got.headers().firstValue("Content-Disposition").orElseThrow()
                    .startsWith("attachment; filename=\"screenshot.png\""));
            assertArrayEquals(png, download(server.port(), url, null, c.agentToken()).body(),
                    "a link with ?token= can be clicked");
            // Admins see it in the session's file list (the dashboard's session detail).
            JsonNode listed = server.http.get("/customer-service/sessions/" + c.id() + "/files").data().path("files");
            assertEquals(1, listed.size());
            assertEquals(file.path("id"), listed.get(0).path("id"));
            assertEquals("screenshot.png", listed.get(0).path("name").asText());
            assertEquals(png.length, listed.get(0).path("size").asLong());
            assertEquals("customer", listed.get(0).path("sender").asText());
            assertEquals(c.customerId(), listed.get(0).path("sender_id").asText());
            assertEquals(url, listed.get(0).path("url").asText());
        }
    }

    @Test
    void elevenMegabytesGet413AndLeaveNothingOnDisk() throws Exception {
        try (InProcessServer server = InProcessServer.start(dataDir)) {
            Call c = call(server.http);
            byte[] big = new byte[11 * 1000 * 1000];
            new Random(11).nextBytes(big);
            System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}, 0, big, 0, 8);
            // Announced: refused at once from Content-Length.
            HttpResponse<byte[]> announced = uploadMultipart(server.port(), c.id(), c.customerToken(), "big.png", big);
            assertEquals(413, announced.statusCode());
            assertTrue(json(announced).path("message").asText().contains("exceeds"), json(announced).toString());
            // Not announced (chunked): refused once the count passes the limit.
            HttpResponse<byte[]> chunked = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                            + "/customer-service/sessions/" + c.id() + "/files?name=big.png"))
                    .header("Authorization", "Bearer " + c.customerToken())
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))));
            assertEquals(413, chunked.statusCode());
            assertTrue(json(chunked).path("message").asText().contains("max_file_size"), json(chunked).toString());
            // Multipart, not announced: the file part is counted against max_file_size as it comes.
            HttpResponse<byte[]> form = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                            + "/customer-service/sessions/" + c.id() + "/files"))
                    .header("Authorization", "Bearer " + c.customerToken())
                    .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                    .POST(HttpRequest.BodyPublishers.ofInputStream(
                            () -> new java.io.ByteArrayInputStream(multipart("big.png", big)))));
            assertEquals(413, form.statusCode());
            assertTrue(json(form).path("message").asText().contains("max_file_size"), json(form).toString());
            assertEquals(List.of(), filesOnDisk());
            assertEquals(0, server.http.get("/customer-service/sessions/" + c.id() + "/files").data().path("files")
                    .size());
        }
    }

    @Test
    void anExecutableRenamedPngIsRefusedByItsContent() throws Exception {
        try (InProcessServer server = InProcessServer.start(dataDir);
             RoomClient agent = server.room("agent")) {
            Call c = call(server.http);
            agent.join(c.id(), InProcessServer.AGENT1, c.agentToken());
            byte[] exe = new byte[200_000];
            new Random(5).nextBytes(exe);
            exe[0] = 'M';
            exe[1] = 'Z';
            HttpResponse<byte[]> r = uploadMultipart(server.port(), c.id(), c.customerToken(), "kitten.png", exe);
            assertEquals(415, r.statusCode());
            String message = json(r).path("message").asText();
            assertTrue(message.contains("Windows executable") && message.contains("png"), message);
            assertEquals(List.of(), filesOnDisk());
            assertTrue(agent.sync().stream().noneMatch(f -> "chat".equals(f.path("action").asText())),
                    "no chat frame for a refused file");
        }
    }

    @Test
    void downloadsNeedATokenOfThatSession() throws Exception {
        try (InProcessServer server = InProcessServer.start(dataDir)) {
            Call c = call(server.http);
            Call other = call(server.http);
            byte[] png = png();
            String url = json(uploadMultipart(server.port(), c.id(), c.customerToken(), "a.png", png)).path("data")
                    .path("url").asText();
            HttpResponse<byte[]> none = download(server.port(), url, null, null);
            assertEquals(401, none.statusCode());
            assertEquals(401, json(none).path("code").asInt());
            HttpResponse<byte[]> wrong = download(server.port(), url, other.customerToken(), null);
            assertEquals(403, wrong.statusCode());
            assertTrue(json(wrong).path("message").asText().contains("another session"), json(wrong).toString());
            assertEquals(403, download(server.port(), url, null, other.agentToken()).statusCode());
            assertEquals(200, download(server.port(), url, c.customerToken(), null).statusCode());
        }
    }

    @Test
    void everyOtherRouteKeepsTheHosts64KiBBodyLimit() throws Exception {
        try (InProcessServer server = InProcessServer.start(dataDir)) {
            Call c = call(server.http);
            byte[] big = ("{\"stars\":5,\"comment\":\"" + "x".repeat(100 * 1024) + "\"}")
                    .getBytes(StandardCharsets.US_ASCII);
            for (String path : List.of("/customer-service/sessions", "/customer-service/sessions/" + c.id() + "/rating",
                    "/customer-service/sessions/" + c.id() + "/files/f_aaaaaaaaaaaaaaaa")) {
                HttpResponse<byte[]> announced = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                + server.port() + path))
                        .header("Authorization", "Bearer " + c.customerToken())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(big)));
                assertEquals(413, announced.statusCode(), path);
                assertTrue(json(announced).path("message").asText().contains("65536"), json(announced).toString());
                HttpResponse<byte[]> chunked = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                + server.port() + path))
                        .header("Authorization", "Bearer " + c.customerToken())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))));
                assertEquals(413, chunked.statusCode(), path);
                assertTrue(json(chunked).path("message").asText().contains("65536"), json(chunked).toString());
            }
            assertEquals(Boolean.FALSE, server.http.get("/customer-service/sessions/" + c.id()).data()
                    .path("rating").isObject(), "nothing stored");
        }
    }

    /** A body of {@code size} pseudo-random bytes starting with a PNG signature, made as it is read. */
    static InputStream generated(long size, MessageDigest digest) {
        return new InputStream() {
            final Random r = new Random(50);
            final byte[] buf = new byte[64 * 1024];
            long sent;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (sent == size) {
                    return -1;
                }
                int n = (int) Math.min(Math.min(len, buf.length), size - sent);
                r.nextBytes(buf);
                if (sent == 0) {
                    System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}, 0, buf, 0, 8);
                }
                System.arraycopy(buf, 0, b, off, n);
                digest.update(buf, 0, n);
                sent += n;
                return n;
            }
        };
    }

    @Test
    @Timeout(300)
    void aFiftyMegabyteFileGoesThroughAServerWithA48MegabyteHeap() throws Exception {
        Path config = dataDir.resolve("cs.yaml");
        Files.writeString(config, """
                customer_service:
                  max_file_size: 67108864
                  admin_token: %s
                  link_secret: %s
                  agents: [ { id: agent_001, name: Agent Wang } ]
                """.formatted(InProcessServer.ADMIN_TOKEN, InProcessServer.LINK_SECRET));
        Path data = dataDir.resolve("child-data");
        try (ChildServer child = ChildServer.start(List.of(ChildServer.java(), "-Xmx48m", "-cp",
                System.getProperty("java.class.path"), "dev.cskit.server.Main", "--port", "0", "--media-port", "0",
                "--data-dir", data.toString(), "--config", config.toString()))) {
            Http http = new Http(child.port(), InProcessServer.ADMIN_TOKEN);
            Call c = call(http);
            long size = 50L * 1024 * 1024;
            MessageDigest sent = MessageDigest.getInstance("SHA-256");
            HttpResponse<byte[]> up = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + child.port()
                            + "/customer-service/sessions/" + c.id() + "/files?name=big.png"))
                    .header("Authorization", "Bearer " + c.customerToken())
                    .POST(HttpRequest.BodyPublishers.fromPublisher(
                            HttpRequest.BodyPublishers.ofInputStream(() -> generated(size, sent)), size)));
            assertEquals(200, up.statusCode(), new String(up.body(), StandardCharsets.UTF_8) + "\n" + child.output());
            assertEquals(size, json(up).path("data").path("size").asLong());
            // And back, to a digest, through the same small heap.
            MessageDigest got = MessageDigest.getInstance("SHA-256");
            HttpResponse<InputStream> down = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + child.port() + json(up).path("data").path("url").asText()))
                    .header("Authorization", "Bearer " + c.agentToken()).timeout(Duration.ofSeconds(120)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, down.statusCode());
            long n = 0;
            try (InputStream in = down.body()) {
                byte[] b = new byte[64 * 1024];
                for (int k; (k = in.read(b)) > 0; ) {
                    got.update(b, 0, k);
                    n += k;
                }
            }
            assertEquals(size, n);
            assertEquals(HexFormat.of().formatHex(sent.digest()), HexFormat.of().formatHex(got.digest()));
            assertTrue(child.isAlive());
            assertFalse(child.output().contains("OutOfMemoryError"), child.output());
        }
    }
}
