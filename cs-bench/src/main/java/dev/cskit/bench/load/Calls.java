/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cskit.media.dtls.DtlsCertificate;
import dev.cskit.media.srtp.SrtpProfile;
import dev.cskit.testkit.ClientPeer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sets up the harness's 1v1 calls, two parties each publishing audio and video and playing the other's.
 * <ul>
 *   <li>cskit: through the real HTTP API ({@code POST /customer-service/sessions}, {@code /assign},
 *       {@code GET /links}) and WHIP/WHEP, with four {@link ClientPeer}s (ICE, DTLS-SRTP) on their own sockets;
 *       the media then goes through {@link MediaLoad}, protected with each publisher's SRTP context.</li>
 *   <li>relay: four plain sockets, the relay told which publisher goes to which player; the same packet sizes
 *       (the SRTP tag's length added as padding), no crypto.</li>
 * </ul>
 * Thread-safe: calls are set up in parallel; streams are added on the clients' loop.
 */
final class Calls {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Options o;
    private final ClientNet net;
    private final MediaLoad media;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final DtlsCertificate certificate = DtlsCertificate.generate();
    private final ExecutorService handshakes;
    final AtomicInteger failures = new AtomicInteger();

    Calls(Options o, ClientNet net, MediaLoad media) {
        this.o = o;
        this.net = net;
        this.media = media;
        AtomicInteger n = new AtomicInteger();
        this.handshakes = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "load-dtls-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    private int overhead() {
        return o.profiles().get(0).rtpOverhead();
    }

    private long videoInterval() {
        return 1_000_000_000L / 30;
    }

    private int videoBurst() {
        return Math.max(1, (int) Math.round(o.videoKbps * 1000.0 / 8 / 30 / o.videoBytes));
    }

    /** One cskit call through {@code server}; its streams are added to the media, inactive. */
    void cskit(ServerUnderTest server, int i) throws Exception {
        String base = "http://127.0.0.1:" + server.httpPort;
        JsonNode s = api(base, "POST", "/sessions", "{\"title\":\"load " + i + "\",\"customer_name\":\"Customer " + i + "\"}");
        String sid = s.get("id").asText();
        api(base, "POST", "/sessions/" + sid + "/assign", "{\"agent_id\":\"load_agent_" + i + "\",\"agent_name\":\"Agent " + i + "\"}");
        JsonNode links = api(base, "GET", "/sessions/" + sid + "/links", null);
        String agent = links.get("agent_id").asText();
        String customer = links.get("customer_id").asText();
        String path = "/webrtc/%s/customer-service/" + sid + "/%s";
        ClientNet.Endpoint agentPub = peer(ClientPeer.Role.PUBLISH);
        ClientNet.Endpoint customerPub = peer(ClientPeer.Role.PUBLISH);
        ClientNet.Endpoint agentPlay = peer(ClientPeer.Role.PLAY);
        ClientNet.Endpoint customerPlay = peer(ClientPeer.Role.PLAY);
        List<ClientNet.Endpoint> all = List.of(agentPub, customerPub, agentPlay, customerPlay);
        try {
            negotiate(base + path.formatted("whip", agent), agentPub, links.get("agent_token").asText());
            negotiate(base + path.formatted("whip", customer), customerPub, links.get("customer_token").asText());
            negotiate(base + path.formatted("whep", customer), agentPlay, links.get("agent_token").asText());
            negotiate(base + path.formatted("whep", agent), customerPlay, links.get("customer_token").asText());
            connect(all);
            media.onLoop(() -> {
                wire(agentPub, customerPlay);
                wire(customerPub, agentPlay);
                all.forEach(e -> media.keepConsent(e.peer));
            });
        } catch (Exception | Error e) {
            all.forEach(ClientNet.Endpoint::close);
            throw e;
        }
    }

    // A publisher's two streams, each known to the player by the SSRC the server announced to it (loop thread).
    private void wire(ClientNet.Endpoint pub, ClientNet.Endpoint player) {
        ClientPeer p = pub.peer;
        InetSocketAddress to = p.serverAddress();
        var tx = p.outboundContext().orElseThrow();
        MediaLoad.Stream audio = media.add(true, pub, to, tx, p.answered("audio").orElseThrow().payloadType(),
                p.audioSsrc(), 12 + o.audioBytes, 1, 20_000_000L, 960);
        MediaLoad.Stream video = media.add(true, pub, to, tx, p.answered("video").orElseThrow().payloadType(),
                p.videoSsrc(), 12 + o.videoBytes, videoBurst(), videoInterval(), 3000);
        player.addSource(player.peer.answeredSsrcs().get("audio"), audio);
        player.addSource(player.peer.answeredSsrcs().get("video"), video);
    }

    /** One relay call on {@code relay}'s socket {@code socket}. */
    void relay(ServerUnderTest relay, int socket) throws Exception {
        InetSocketAddress to = new InetSocketAddress("127.0.0.1", relay.mediaPorts.get(socket));
        ClientNet.Endpoint[] e = new ClientNet.Endpoint[4];
        for (int k = 0; k < 4; k++) {
            e[k] = net.open(k < 2 ? ClientPeer.Role.PUBLISH : ClientPeer.Role.PLAY);
        }
        relay.map(socket, e[0].local.getPort(), e[3].local.getPort());
        relay.map(socket, e[1].local.getPort(), e[2].local.getPort());
        media.onLoop(() -> {
            for (int k = 0; k < 2; k++) {
                long audioSsrc = ThreadLocalRandom.current().nextLong(1, 1L << 32);
                long videoSsrc = audioSsrc ^ 0x5A5A5A5AL;
                MediaLoad.Stream audio = media.add(false, e[k], to, null, 111, audioSsrc,
                        12 + o.audioBytes + overhead(), 1, 20_000_000L, 960);
                MediaLoad.Stream video = media.add(false, e[k], to, null, 96, videoSsrc,
                        12 + o.videoBytes + overhead(), videoBurst(), videoInterval(), 3000);
                e[3 - k].addSource(audioSsrc, audio);
                e[3 - k].addSource(videoSsrc, video);
            }
        });
    }

    private ClientNet.Endpoint peer(ClientPeer.Role role) throws InterruptedException {
        ClientNet.Endpoint e = net.open(role);
        List<SrtpProfile> profiles = o.profiles();
        e.peer = ClientPeer.newBuilder(role).sender(e::send).executor(handshakes).certificate(certificate)
                .profiles(profiles).handshakeTimeout(Duration.ofSeconds(20)).build();
        return e;
    }

    private void negotiate(String url, ClientNet.Endpoint e, String token) throws Exception {
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/sdp").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(e.peer.offer())).build(), HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 201) {
            throw new IOException(url + " -> " + res.statusCode() + " " + res.body());
        }
        e.peer.acceptAnswer(res.body());
    }

    // The first check may be lost under load: repeat it each second until DTLS is up.
    private static void connect(List<ClientNet.Endpoint> endpoints) throws Exception {
        endpoints.forEach(e -> e.peer.connect());
        CompletableFuture<Void> all = CompletableFuture.allOf(endpoints.stream().map(e -> e.peer.connected())
                .toArray(CompletableFuture[]::new));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!all.isDone() && System.nanoTime() < deadline) {
            try {
                all.get(1, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                endpoints.stream().filter(x -> x.peer.stats().stunSucceeded() == 0).forEach(x -> x.peer.sendBindingRequest());
            }
        }
        all.get(0, TimeUnit.SECONDS);
    }

    private JsonNode api(String base, String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/customer-service" + path))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json");
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.method(method, HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> res = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode env = JSON.readTree(res.body());
        if (env.path("code").asInt(-1) != 0) {
            throw new IOException(method + " " + path + " -> " + res.statusCode() + " " + res.body());
        }
        return env.get("data");
    }

    void close() {
        handshakes.shutdownNow();
    }

    /** Setups that failed so far, for the report. */
    int failures() {
        return failures.get();
    }

    static List<Integer> range(int from, int to) {
        List<Integer> l = new ArrayList<>();
        for (int i = from; i < to; i++) {
            l.add(i);
        }
        return l;
    }
}
