/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import static dev.cskit.server.InProcessServer.AGENT1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cskit.api.CsConfig;
import dev.cskit.api.CustomerServicePlugin;
import dev.cskit.api.webhook.WebhookEndpoint;
import dev.cskit.media.dtls.DtlsCertificate;
import dev.cskit.media.forward.ReceiveStatistics;
import dev.cskit.media.rtcp.RtcpCompound;
import dev.cskit.media.rtcp.RtcpWriter;
import dev.cskit.media.rtcp.SenderReport;
import dev.cskit.media.rtp.RtpPacket;
import dev.cskit.netty.NettyHost;
import dev.cskit.netty.UdpMediaPort;
import dev.cskit.testkit.ClientPeer;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, acceptance 2: two calls through the real server (HTTP WHIP/WHEP, the plugin, the engine, Netty's UDP
 * socket) with real client peers (ICE, DTLS, SRTP over loopback). Each publisher sends Opus-sized audio every 20 ms
 * and a sender report every half second; each player keeps RFC 3550 receive statistics and answers with receiver
 * reports (LSR/DLSR included). In the second call the customer's publisher drops every tenth packet. That call's
 * customer → agent direction shows about 10 % loss and a lower MOS than the clean call's, live in
 * {@code GET /rooms}, then in {@code GET /sessions/{id}}, in the signed {@code call.ended} webhook, and first in the
 * admin list sorted by quality.
 */
@Timeout(180)
class CallQualityIT {

    private static final DtlsCertificate CLIENT_CERT = DtlsCertificate.generate();
    private static final int PACKETS = 150; // 3 s of 20 ms frames
    private static final long FRAME_NANOS = 20_000_000L;
    private static final long REPORT_NANOS = 500_000_000L;

    @TempDir
    Path dataDir;

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Client> clients = new ArrayList<>();
    private NettyHost host;

    @AfterEach
    void stop() throws InterruptedException {
        clients.forEach(Client::close);
        if (host != null) {
            host.close();
        }
        threads.shutdownNow();
        assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
    }

    @Test
    void injectedLossLowersTheMosAndEveryViewCarriesTheQuality() throws Exception {
        try (WebhookReceiver receiver = WebhookReceiver.start(WebhooksIT.SECRET)) {
            CsConfig cfg = InProcessServer.config(dataDir).toBuilder().webhooks(List.of(
                    new WebhookEndpoint(URI.create(receiver.url()), WebhooksIT.SECRET, Set.of()))).build();
            host = NettyHost.newBuilder().bindAddress("127.0.0.1").port(0)
                    .component(new UdpMediaPort(0, "127.0.0.1")).build();
            host.start();
            host.startPlugin(CustomerServicePlugin.load(), cfg);
            Http http = new Http(host.port(), InProcessServer.ADMIN_TOKEN);

            String clean = call(http, "clean", 0);
            String lossy = call(http, "lossy", 10);

            JsonNode cleanQ = http.session(clean).path("quality");
            JsonNode lossyQ = http.session(lossy).path("quality");
            System.out.println("CallQualityIT clean call: " + cleanQ + "\nCallQualityIT lossy call: " + lossyQ);
            for (JsonNode q : List.of(cleanQ, lossyQ)) {
                for (String dir : List.of("customer_to_agent", "agent_to_customer")) {
                    JsonNode d = q.path(dir);
                    assertTrue(d.path("loss_pct").isNumber() && d.path("jitter_ms").isNumber()
                            && d.path("rtt_ms").isNumber() && d.path("mos").isNumber(), () -> dir + " of " + q);
                    assertTrue(d.path("packets").asLong() >= PACKETS * 8 / 10, () -> dir + " of " + q);
                }
            }
            double lossyUp = lossyQ.at("/customer_to_agent/loss_pct").asDouble();
            assertTrue(lossyUp >= 8 && lossyUp <= 12, () -> "a tenth of the customer's packets dropped: " + lossyQ);
            assertTrue(cleanQ.at("/customer_to_agent/loss_pct").asDouble() < 1, cleanQ::toString);
            assertTrue(lossyQ.at("/agent_to_customer/loss_pct").asDouble() < 1, () -> "the other way was clean: " + lossyQ);
            double cleanMos = cleanQ.at("/customer_to_agent/mos").asDouble();
            double lossyMos = lossyQ.at("/customer_to_agent/mos").asDouble();
            assertTrue(lossyMos < cleanMos - 0.5, () -> "lossy " + lossyMos + " vs clean " + cleanMos);
            assertTrue(cleanMos > 4, () -> "a clean loopback call: " + cleanQ);
            assertEquals(lossyMos, lossyQ.path("mos").asDouble(), 1e-9, "the call's MOS is its worse direction's");

            // The signed call.ended event carries the same quality as the session.
            receiver.await("both calls ended", Duration.ofSeconds(60), l -> ended(l, clean) != null
                    && ended(l, lossy) != null);
            assertEquals(List.of(), receiver.rejected());
            assertEquals(cleanQ, ended(receiver.distinct(), clean).path("data").path("quality"));
            assertEquals(lossyQ, ended(receiver.distinct(), lossy).path("data").path("quality"));

            // The admin list, worst calls first.
            JsonNode list = http.get("/customer-service/sessions?sort=quality").data().path("sessions");
            assertEquals(lossy, list.get(0).path("id").asText());
            assertEquals(clean, list.get(1).path("id").asText());
            JsonNode best = http.get("/customer-service/sessions?sort=quality&order=desc").data().path("sessions");
            assertEquals(clean, best.get(0).path("id").asText());
            http.get("/customer-service/sessions?sort=mos").assertError(400, "sort must be created_at or quality");
        }
    }

    private static JsonNode ended(List<WebhookReceiver.Request> events, String sessionId) {
        return events.stream().filter(r -> r.type().equals("call.ended") && sessionId.equals(r.sessionId()))
                .map(WebhookReceiver.Request::json).findFirst().orElse(null);
    }

    /** A whole call: accepted, both parties publish and play, the customer drops {@code dropPercent} %, ended. */
    private String call(Http http, String title, int dropPercent) throws Exception {
        WebhooksIT.Call c = WebhooksIT.createAndJoin(http, host.port(), title);
        try (c) {
            WebhooksIT.accept(c);
            JsonNode links = http.links(c.id());
            String agentToken = links.path("agent_token").asText();
            Client agentPub = open(ClientPeer.Role.PUBLISH, "whip", c.id() + "/" + AGENT1, agentToken);
            Client customerPub = open(ClientPeer.Role.PUBLISH, "whip", c.id() + "/" + c.customerId(), c.customerToken());
            Client agentPlay = open(ClientPeer.Role.PLAY, "whep", c.id() + "/" + c.customerId(), agentToken);
            Client customerPlay = open(ClientPeer.Role.PLAY, "whep", c.id() + "/" + AGENT1, c.customerToken());
            for (Client cl : List.of(agentPub, customerPub, agentPlay, customerPlay)) {
                cl.peer.connect();
            }
            for (Client cl : List.of(agentPub, customerPub, agentPlay, customerPlay)) {
                cl.peer.connected().get(20, TimeUnit.SECONDS);
            }
            Future<?> a = threads.submit(() -> agentPub.publishAudio(0));
            Future<?> b = threads.submit(() -> customerPub.publishAudio(dropPercent));
            a.get(60, TimeUnit.SECONDS);
            b.get(60, TimeUnit.SECONDS);

            // Live: the room shows the call's quality once both players have reported on (nearly) everything.
            JsonNode room = awaitRoom(http, c.id(), r -> {
                JsonNode q = r.path("quality");
                return q.at("/customer_to_agent/packets").asLong() >= PACKETS * 9 / 10
                        && q.at("/agent_to_customer/packets").asLong() >= PACKETS * 9 / 10
                        && q.at("/customer_to_agent/rtt_ms").isNumber() && q.at("/agent_to_customer/rtt_ms").isNumber();
            });
            double liveLoss = room.at("/quality/customer_to_agent/loss_pct").asDouble();
            assertEquals(dropPercent > 0, liveLoss > 5, () -> "live loss " + room);

            c.agent().action("end_call", c.id(), AGENT1);
            c.customer().expect("call_ended");
            for (Client cl : List.of(agentPub, customerPub, agentPlay, customerPlay)) {
                cl.close();
            }
        }
        return c.id();
    }

    private JsonNode awaitRoom(Http http, String sessionId, Predicate<JsonNode> done) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            for (JsonNode r : http.get("/customer-service/rooms").data().path("rooms")) {
                if (sessionId.equals(r.path("session_id").asText())) {
                    last = r;
                    if (done.test(r)) {
                        return r;
                    }
                }
            }
            LockSupport.parkNanos(100_000_000L); // poll: the players report every half second
        }
        JsonNode seen = last;
        throw new AssertionError("the room of " + sessionId + " never showed the quality of both directions: " + seen);
    }

    private Client open(ClientPeer.Role role, String kind, String path, String token) throws Exception {
        Client cl = new Client(role);
        clients.add(cl);
        LoopbackPeer.negotiate(cl.peer, host.port(), kind, path, token);
        return cl;
    }

    /**
     * A client peer on its own loopback socket, read by a thread of its own. A player keeps receive statistics of the
     * audio it gets and sends a receiver report every half second, on its reading thread.
     */
    private final class Client {
        final DatagramSocket socket;
        final ClientPeer peer;
        final Future<?> reader;
        private ReceiveStatistics audio; // the reading thread's
        private long nextReport = System.nanoTime() + REPORT_NANOS;
        private final SenderReport sr = new SenderReport();
        private final RtcpCompound compound = new RtcpCompound();

        Client(ClientPeer.Role role) throws IOException {
            socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
            socket.setSoTimeout(100);
            peer = ClientPeer.newBuilder(role).executor(threads).certificate(CLIENT_CERT)
                    .sender((buf, off, len, to) -> {
                        try {
                            socket.send(new DatagramPacket(buf, off, len, to));
                        } catch (IOException e) {
                            // closed at the end of the call
                        }
                    })
                    .listener(new ClientPeer.Listener() {
                        @Override
                        public void onRtp(RtpPacket p) {
                            if (p.payloadType() == peer.answered("audio").orElseThrow().payloadType()) {
                                if (audio == null) {
                                    audio = new ReceiveStatistics(p.ssrc(), 48000);
                                }
                                audio.onPacket(p.sequenceNumber(), p.timestamp(), System.nanoTime());
                            }
                        }

                        @Override
                        public void onRtcp(byte[] buf, int off, int len) {
                            if (audio != null && compound.wrap(buf, off, len)) {
                                while (compound.next()) {
                                    if (compound.packetType() == RtcpCompound.SR
                                            && sr.wrap(buf, compound.packetOffset(), compound.packetLength())
                                            && sr.ssrc() == audio.ssrc()) {
                                        audio.onSenderReport(sr.ntpTimestamp(), System.nanoTime());
                                    }
                                }
                            }
                        }
                    }).build();
            reader = threads.submit(() -> {
                byte[] buf = new byte[2048];
                while (!socket.isClosed()) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    try {
                        socket.receive(p);
                        peer.receive(buf, 0, p.getLength());
                    } catch (SocketTimeoutException e) {
                        // time to report, perhaps
                    } catch (IOException e) {
                        return;
                    }
                    report();
                }
            });
        }

        private void report() {
            long now = System.nanoTime();
            if (audio == null || now - nextReport < 0) {
                return;
            }
            nextReport = now + REPORT_NANOS;
            RtcpWriter.ReportBlock block = audio.reportBlock(now);
            byte[] b = new byte[64];
            // On the reading thread: a failure here would stop the reader, so it shows as missing reports instead.
            peer.sendRtcp(b, 0, RtcpWriter.writeReceiverReport(b, 0, 0x5EED, List.of(block)));
        }

        /** Opus-sized packets every 20 ms, a sender report every half second; skips every (100/drop)-th packet. */
        void publishAudio(int dropPercent) {
            int pt = peer.answered("audio").orElseThrow().payloadType();
            long ssrc = peer.audioSsrc();
            byte[] payload = new byte[80];
            long start = System.nanoTime();
            int sent = 0;
            long lastSr = start - REPORT_NANOS;
            for (int i = 0; i < PACKETS; i++) {
                LockSupport.parkNanos(start + i * FRAME_NANOS - System.nanoTime()); // pace the frames
                long ts = 960L * i;
                if (dropPercent > 0 && i % (100 / dropPercent) == 100 / dropPercent - 1) {
                    continue; // lost on the way to the server
                }
                assertTrue(peer.sendRtp(pt, ssrc, 1000 + i, ts, false, payload, 0, payload.length) > 0);
                sent++;
                long now = System.nanoTime();
                if (now - lastSr >= REPORT_NANOS) {
                    lastSr = now;
                    byte[] b = new byte[64];
                    int len = RtcpWriter.writeSenderReport(b, 0, ssrc, ntp(), ts, sent, (long) sent * payload.length,
                            List.of());
                    assertTrue(peer.sendRtcp(b, 0, len) > 0);
                }
            }
            assertFalse(sent == 0);
        }

        void close() {
            peer.close();
            socket.close();
        }
    }

    /** Now as a 64-bit NTP timestamp (RFC 3550 §4): seconds since 1900 and a binary fraction. */
    private static long ntp() {
        long ms = System.currentTimeMillis();
        long seconds = ms / 1000 + 2_208_988_800L;
        long fraction = (ms % 1000) * 0x1_0000_0000L / 1000;
        return (seconds << 32) | fraction;
    }
}
