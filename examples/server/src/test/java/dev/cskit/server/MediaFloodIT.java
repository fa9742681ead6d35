/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cskit.api.CustomerServicePlugin;
import dev.cskit.core.CustomerService;
import dev.cskit.media.dtls.DtlsCertificate;
import dev.cskit.media.whip.MediaEngine;
import dev.cskit.netty.NettyHost;
import dev.cskit.netty.UdpMediaPort;
import dev.cskit.testkit.ClientPeer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, acceptance 2 (defect 1: one customer link could exhaust the heap): 2,000 WHEP POSTs with one customer
 * token against the real server (HTTP, the plugin, the engine, a Netty UDP socket). At most the per-party limit
 * are live, the rest get 429, none of them holds a retransmission cache (their stream never carried media), and a
 * call of another session, with real client peers over loopback UDP, keeps receiving media during and after it.
 */
class MediaFloodIT {

    private static final DtlsCertificate CLIENT_CERT = DtlsCertificate.generate();
    private static final int POSTS = 2_000;
    private static final int CONNECTIONS = 4;

    @TempDir
    Path dataDir;

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<LoopbackPeer> clients = new ArrayList<>();
    private final AtomicBoolean sending = new AtomicBoolean(true);
    private NettyHost host;

    @AfterEach
    void stop() throws InterruptedException {
        sending.set(false);
        clients.forEach(LoopbackPeer::close);
        if (host != null) {
            host.close();
        }
        threads.shutdownNow();
        assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
    }

    @Test
    void twoThousandWhepPostsWithOneCustomerTokenLeaveFourLiveAndTheOtherCallCarriesOn() throws Exception {
        host = NettyHost.newBuilder().bindAddress("127.0.0.1").port(0)
                .component(UdpMediaPort.range(0, 1, "127.0.0.1", UdpMediaPort.Transport.AUTO)).build();
        host.start();
        CustomerServicePlugin plugin = CustomerServicePlugin.load();
        host.startPlugin(plugin, InProcessServer.config(dataDir));
        MediaEngine engine = ((CustomerService) plugin).media().orElseThrow().engine();
        Http http = new Http(host.port(), InProcessServer.ADMIN_TOKEN);

        // The other call: agent 1 publishes video, its customer plays it, paced at 100 packets a second.
        JsonNode a = http.createSession("ongoing", "Ann");
        String sidA = a.get("id").asText();
        http.assign(sidA, InProcessServer.AGENT1, InProcessServer.AGENT1_NAME);
        JsonNode linksA = http.links(sidA);
        LoopbackPeer publisher = open(ClientPeer.Role.PUBLISH, "whip", sidA + "/" + InProcessServer.AGENT1,
                linksA.get("agent_token").asText());
        LoopbackPeer player = open(ClientPeer.Role.PLAY, "whep", sidA + "/" + InProcessServer.AGENT1,
                linksA.get("customer_token").asText());
        for (LoopbackPeer c : List.of(publisher, player)) {
            c.peer.connect();
        }
        for (LoopbackPeer c : List.of(publisher, player)) {
            c.peer.connected().get(30, TimeUnit.SECONDS);
        }
        threads.submit(() -> {
            ClientPeer p = publisher.peer;
            int pt = p.answered("video").orElseThrow().payloadType();
            for (int i = 0; sending.get(); i++) {
                p.sendRtp(pt, p.videoSsrc(), i & 0xFFFF, 900L * i, false, new byte[600], 0, 600);
                Thread.sleep(10); // pacing a sender, not waiting for a result
            }
            return null;
        });
        awaitPackets(player, 20);
        assertEquals(1, counter(engine, MediaEngine.Counter.RTX_BUFFERS_IN_USE), "the player's video stream");

        // The flood: session B, its customer's token, WHEP of agent 2's stream (which nobody publishes).
        JsonNode b = http.createSession("flood", "Mallory");
        String sidB = b.get("id").asText();
        String customerB = b.get("customer_id").asText();
        http.assign(sidB, InProcessServer.AGENT2, InProcessServer.AGENT2_NAME);
        String tokenB = http.links(sidB).get("customer_token").asText();
        String offer = ClientPeer.newBuilder(ClientPeer.Role.PLAY).sender((buf, off, len, to) -> { })
                .executor(threads).certificate(CLIENT_CERT).build().offer();
        int packetsBefore = player.rtp.get();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger maxLive = new AtomicInteger();
        List<String> refusals = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < CONNECTIONS; w++) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            workers.add(threads.submit(() -> {
                HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.port()
                                + "/webrtc/whep/customer-service/" + sidB + "/" + InProcessServer.AGENT2))
                        .header("Content-Type", "application/sdp").header("Authorization", "Bearer " + tokenB)
                        .POST(HttpRequest.BodyPublishers.ofString(offer)).build();
                while (next.getAndIncrement() < POSTS) {
                    HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
                    statuses.computeIfAbsent(r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                    if (r.statusCode() == 429 && refusals.isEmpty()) {
                        refusals.add(r.body());
                    }
                    maxLive.accumulateAndGet(engine.resourcesOf(sidB, customerB), Math::max);
                }
                return null;
            }));
        }
        for (Future<?> f : workers) {
            f.get(180, TimeUnit.SECONDS);
        }

        // A resource that never connects ends after the connect timeout (12 s) and frees its slot, so a flood that
        // runs longer than that on a loaded machine gets four more each time: a few, never more than four live.
        Map<Integer, Integer> counts = counts(statuses);
        assertEquals(java.util.Set.of(201, 429), counts.keySet(), counts.toString());
        assertEquals(POSTS, counts.get(201) + counts.get(429));
        assertTrue(counts.get(201) >= 4 && counts.get(201) <= 100, "four created (and a few after expiries): " + counts);
        assertTrue(refusals.get(0).contains("\"message\"") && refusals.get(0).contains(
                customerB + " already has 4 live WHIP/WHEP resources in session " + sidB), refusals.get(0));
        assertTrue(maxLive.get() <= 4, "at most the per-party limit live at any time: " + maxLive);
        int live = engine.resourcesOf(sidB, customerB);
        assertTrue(live <= 4, "the engine's count: " + live);
        assertEquals(2 + live, engine.size(), "the other call's two and the flood's live ones");
        assertEquals(1, counter(engine, MediaEngine.Counter.RTX_BUFFERS_IN_USE),
                "still only the other call's player: a stream that never carried media has no cache");
        assertTrue(engine.memoryUsed() < 1024 * 1024, "six peers and one cache, not 2,000 caches: "
                + engine.memoryUsed());

        // The other call carried on during the flood, and carries on after it.
        int afterFlood = player.rtp.get();
        assertTrue(afterFlood > packetsBefore, "media reached the other call's player during the flood");
        awaitPackets(player, afterFlood + 50);
        assertEquals(2, engine.stats(sidA).size());
    }

    private static Map<Integer, Integer> counts(Map<Integer, AtomicInteger> statuses) {
        Map<Integer, Integer> m = new java.util.TreeMap<>();
        statuses.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    private static long counter(MediaEngine engine, MediaEngine.Counter c) {
        return engine.counters().get(c);
    }

    private static void awaitPackets(LoopbackPeer player, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (player.rtp.get() < n) {
            assertTrue(System.nanoTime() < deadline, "the player got " + player.rtp.get() + " of " + n + " packets");
            synchronized (player.rtp) {
                player.rtp.wait(100);
            }
        }
    }

    private LoopbackPeer open(ClientPeer.Role role, String kind, String path, String token) throws Exception {
        LoopbackPeer c = new LoopbackPeer(role, threads, CLIENT_CERT);
        clients.add(c);
        c.negotiate(host.port(), kind, path, token);
        return c;
    }
}
