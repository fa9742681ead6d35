/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cskit.api.CsConfig;
import dev.cskit.api.CustomerServicePlugin;
import dev.cskit.api.PluginContext;
import dev.cskit.api.http.HttpResponse;
import dev.cskit.api.room.JoinDecision;
import dev.cskit.api.room.JoinRequest;
import dev.cskit.api.room.LeaveReason;
import dev.cskit.api.room.Participant;
import dev.cskit.api.room.RoomCallbacks;
import dev.cskit.api.room.RoomInfo;
import dev.cskit.api.room.RoomMessage;
import dev.cskit.api.room.RoomType;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.io.IOException;
import java.net.ConnectException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A {@link NettyHost} on a real loopback socket, driven by the JDK's HTTP and WebSocket clients. */
@Timeout(30)
class NettyHostIT {

    static final RoomType TYPE = new RoomType("test", 2, "test/");
    static final ObjectMapper JSON = new ObjectMapper();

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final FakePlugin plugin = new FakePlugin();
    NettyHost host;

    /** A plugin written for the test: a room type, two routes, and a record of what it was told. */
    static final class FakePlugin implements CustomerServicePlugin, RoomCallbacks {
        final List<String> events = new CopyOnWriteArrayList<>();
        volatile PluginContext ctx;

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public void start(PluginContext context) {
            ctx = context;
            context.rooms().registerCallbacks(TYPE, this);
            context.http().add("GET", "/fake/hello/{name}", req ->
                    HttpResponse.json(200, "{\"code\":0,\"data\":\"hello " + req.pathParam("name") + "\"}"));
            context.http().add("POST", "/fake/echo", req ->
                    HttpResponse.of(200, "text/plain", req.body()));
        }

        @Override
        public void stop() {
            // Like cs-core: end every call in progress with reason shutdown while the sockets are still up.
            for (RoomInfo room : ctx.rooms().rooms(TYPE.roomIdPrefix())) {
                ctx.rooms().broadcast(room.roomId(), "{\"action\":\"call_ended\",\"reason\":\"shutdown\"}");
            }
            events.add("stop");
            ctx.rooms().unregisterCallbacks(TYPE);
            ctx.http().removeAll("/fake");
        }

        @Override
        public JoinDecision onJoin(JoinRequest request) {
            events.add("onJoin " + request.userId());
            if (!"good".equals(request.token())) {
                return JoinDecision.refuse("unauthorized", "the token is not valid for this room");
            }
            return JoinDecision.accept(request.userId().toUpperCase(java.util.Locale.ROOT), "customer");
        }

        @Override
        public void onJoined(String roomId, Participant participant) {
            events.add("onJoined " + participant.userId());
        }

        @Override
        public void onLeave(String roomId, String userId, LeaveReason reason) {
            events.add("onLeave " + userId + " " + reason);
        }

        @Override
        public void onMessage(RoomMessage message) {
            events.add("onMessage " + message.userId() + " " + message.action());
            ctx.rooms().broadcast(message.roomId(), "{\"action\":\"shouted\",\"by\":\"" + message.userId() + "\"}");
        }

        @Override
        public void onRoomClosed(String roomId) {
            events.add("onRoomClosed " + roomId);
        }
    }

    /** A room socket client that queues every text message and remembers the close. */
    static final class Client implements WebSocket.Listener {
        final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        final StringBuilder partial = new StringBuilder();
        WebSocket ws;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    frames.add(JSON.readTree(partial.toString()));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }

        void send(String json) {
            ws.sendText(json, true).join();
        }

        JsonNode next() throws InterruptedException {
            JsonNode n = frames.poll(5, TimeUnit.SECONDS);
            assertNotNull(n, "no frame within 5 s");
            return n;
        }

        JsonNode join(String room, String user, String token) throws InterruptedException {
            send("{\"action\":\"join\",\"room_id\":\"" + room + "\",\"user_id\":\"" + user + "\",\"token\":\"" + token + "\"}");
            return next();
        }
    }

    NettyHost start(NettyHostBuilder b) throws Exception {
        host = b.bindAddress("127.0.0.1").port(0).staticRoot("/webtest").build().start();
        host.startPlugin(plugin, CsConfig.newBuilder().dataDir(null).build());
        return host;
    }

    @AfterEach
    void tearDown() {
        if (host != null) {
            host.close();
        }
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + host.port() + path);
    }

    Client connect(String type) {
        Client c = new Client();
        c.ws = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + host.port() + "/room?type=" + type), c)
                .join();
        return c;
    }

    @Test
    void servesPluginRoutesAndStaticFilesWithCorsForThePluginsOriginsOnly() throws Exception {
        host = NettyHost.newBuilder().bindAddress("127.0.0.1").port(0).staticRoot("/webtest").build().start();
        host.startPlugin(plugin, CsConfig.newBuilder().dataDir(null).corsOrigins(List.of("https://app.example.com"))
                .build());
        assertTrue(host.port() > 0);
        var r = http.send(HttpRequest.newBuilder(uri("/fake/hello/bob")).build(), BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("hello bob", JSON.readTree(r.body()).path("data").asText());
        assertTrue(r.headers().firstValue("access-control-allow-origin").isEmpty());
        var allowed = http.send(HttpRequest.newBuilder(uri("/fake/hello/bob")).header("Origin", "https://app.example.com")
                .build(), BodyHandlers.ofString());
        assertEquals("https://app.example.com", allowed.headers().firstValue("access-control-allow-origin").orElseThrow());
        var foreign = http.send(HttpRequest.newBuilder(uri("/fake/hello/bob")).header("Origin", "https://evil.example")
                .build(), BodyHandlers.ofString());
        assertTrue(foreign.headers().firstValue("access-control-allow-origin").isEmpty());
        var page = http.send(HttpRequest.newBuilder(uri("/")).build(), BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("demo"));
        var missing = http.send(HttpRequest.newBuilder(uri("/fake/nothing")).build(), BodyHandlers.ofString());
        assertEquals(404, missing.statusCode());
    }

    @Test
    void oversizedBodyGets413AndSmallerOnesPass() throws Exception {
        start(NettyHost.newBuilder());
        byte[] big = new byte[70_000];
        var r = http.send(HttpRequest.newBuilder(uri("/fake/echo")).POST(HttpRequest.BodyPublishers.ofByteArray(big)).build(),
                BodyHandlers.ofString());
        assertEquals(413, r.statusCode());
        assertEquals("{\"code\":413,\"message\":\"request body exceeds 65536 bytes\"}", r.body());
        // JDK 17's HttpClient waits forever when a 100-continue request gets a final answer (JDK-8286171),
        // so the refusal before the body is checked on a plain socket.
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), host.port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(("POST /fake/echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                    + "Content-Length: 70000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 413 "), answer);
            assertTrue(answer.endsWith("{\"code\":413,\"message\":\"request body exceeds 65536 bytes\"}"), answer);
        }
        var ok = http.send(HttpRequest.newBuilder(uri("/fake/echo")).expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofString("ping")).build(), BodyHandlers.ofString());
        assertEquals(200, ok.statusCode());
        assertEquals("ping", ok.body());
    }

    @Test
    void joinRefusedByThePluginGetsItsCode() throws Exception {
        start(NettyHost.newBuilder());
        Client c = connect("test");
        JsonNode err = c.join("test/r1", "alice", "forged");
        assertEquals("error", err.path("action").asText());
        assertEquals("unauthorized", err.path("code").asText());
        assertEquals("the token is not valid for this room", err.path("message").asText());
        assertTrue(host.room("test/r1").isEmpty());
    }

    @Test
    void twoUsersChatAndTheThirdGetsRoomFull() throws Exception {
        start(NettyHost.newBuilder());
        Client a = connect("test");
        Client b = connect("test");
        Client c = connect("test");
        assertEquals("joined", a.join("test/r1", "alice", "good").path("action").asText());
        JsonNode jb = b.join("test/r1", "bob", "good");
        assertEquals(2, jb.path("users").size());
        assertEquals("BOB", a.next().path("user").path("display_name").asText());
        JsonNode full = c.join("test/r1", "carol", "good");
        assertEquals("room_full", full.path("code").asText());
        assertEquals(2, host.room("test/r1").orElseThrow().participants().size());

        a.send("{\"action\":\"chat\",\"text\":\"hi bob\"}");
        JsonNode chat = b.next();
        assertEquals("hi bob", chat.path("text").asText());
        assertEquals("alice", chat.path("user_id").asText());
        assertNull(a.frames.poll(200, TimeUnit.MILLISECONDS), "the sender gets no echo");

        b.send("{\"action\":\"shout\"}");
        assertEquals("bob", a.next().path("by").asText());
        assertEquals("bob", b.next().path("by").asText());
        assertTrue(plugin.events.contains("onMessage bob shout"));

        b.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
        JsonNode left = a.next();
        assertEquals("user_left", left.path("action").asText());
        assertEquals("disconnected", left.path("reason").asText());
        assertEquals(WebSocket.NORMAL_CLOSURE, b.closed.get(5, TimeUnit.SECONDS));
    }

    @Test
    void unknownRoomTypeUpgradeIsRefusedWith400() throws Exception {
        start(NettyHost.newBuilder());
        CompletionException e = assertThrows(CompletionException.class, () -> connect("nope"));
        WebSocketHandshakeException hs = assertInstanceOf(WebSocketHandshakeException.class, e.getCause());
        assertEquals(400, hs.getResponse().statusCode());
    }

    @Test
    void silentSocketIsClosedByTheHeartbeat() throws Exception {
        start(NettyHost.newBuilder().heartbeatTimeout(Duration.ofSeconds(2)));
        Client a = connect("test");
        Client b = connect("test");
        a.join("test/r1", "alice", "good");
        b.join("test/r1", "bob", "good");
        a.next();
        // Keep bob alive with pings while alice stays silent, for as long as alice's close takes: a loaded
        // machine may fire her timer late, and bob must not fall silent for a heartbeat meanwhile.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!a.closed.isDone()) {
            assertTrue(System.nanoTime() < deadline, "alice was not closed within 10 s");
            b.send("{\"action\":\"ping\"}");
            Thread.sleep(250);
        }
        b.send("{\"action\":\"ping\"}"); // bob's heartbeat starts over here, just before the checks below
        assertEquals(1001, a.closed.get(5, TimeUnit.SECONDS));
        JsonNode left;
        do {
            left = b.next();
        } while (!"user_left".equals(left.path("action").asText()));
        assertEquals("timed_out", left.path("reason").asText());
        awaitEvent("onLeave alice TIMED_OUT"); // user_left goes out before onLeave runs on the room's stripe
        assertFalse(b.closed.isDone(), "a socket that talks stays open");
    }

    @Test
    void closeStopsThePluginFirstThenClosesSocketsAndThePort() throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        UdpEcho udp = new UdpEcho(order);
        start(NettyHost.newBuilder().component(udp));
        int port = host.port();
        Client a = connect("test");
        a.join("test/r1", "alice", "good");
        // The "joined" frame goes out before the plugin's onJoined runs on the room's stripe: wait for it,
        // or it may land after the clear below and look like it came before stop.
        awaitEvent("onJoined alice");

        // The component's UDP port runs on the host's event loops.
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            s.setSoTimeout(5000);
            byte[] ping = "stun?".getBytes(StandardCharsets.US_ASCII);
            s.send(new java.net.DatagramPacket(ping, ping.length, udp.address()));
            java.net.DatagramPacket in = new java.net.DatagramPacket(new byte[64], 64);
            s.receive(in);
            assertEquals("stun?", new String(in.getData(), 0, in.getLength(), StandardCharsets.US_ASCII));
        }

        plugin.events.clear();
        host.close();
        JsonNode ended = a.next();
        assertEquals("call_ended", ended.path("action").asText(), "the plugin ended the call before the sockets closed");
        assertEquals("shutdown", ended.path("reason").asText());
        assertEquals(1001, a.closed.get(5, TimeUnit.SECONDS));
        assertEquals("stop", plugin.events.get(0));
        awaitEvent("onLeave alice SHUTDOWN");
        assertEquals(List.of("udp started", "udp closed"), order);
        CompletionException refused = assertThrows(CompletionException.class, () ->
                http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                        BodyHandlers.ofString()).join());
        assertInstanceOf(ConnectException.class, refused.getCause());
        host.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> host.startPlugin(new FakePlugin(), CsConfig.defaults()));
    }

    void awaitEvent(String event) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!plugin.events.contains(event)) {
            assertTrue(System.nanoTime() < deadline, "no " + event + " within 5 s: " + plugin.events);
            Thread.sleep(10);
        }
    }

    /** A stand-in for the WebRTC media port: a UDP echo bound as a {@link HostComponent}. */
    static final class UdpEcho implements HostComponent {
        final List<String> order;
        volatile Channel channel;

        UdpEcho(List<String> order) {
            this.order = order;
        }

        @Override
        public String name() {
            return "udp-echo";
        }

        @Override
        public void start(NettyHost host) throws Exception {
            channel = new Bootstrap().group(host.ioGroup()).channel(NioDatagramChannel.class)
                    .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
                            ctx.writeAndFlush(new DatagramPacket(p.content().retain(), p.sender()));
                        }
                    })
                    .bind(new InetSocketAddress(host.bindAddress(), 0)).sync().channel();
            order.add("udp started");
        }

        InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(),
                    ((InetSocketAddress) channel.localAddress()).getPort());
        }

        @Override
        public void close() {
            channel.close().syncUninterruptibly();
            order.add("udp closed");
        }
    }
}
