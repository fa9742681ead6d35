/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.whip;

import dev.cskit.media.forward.CodecSpec;
import dev.cskit.media.forward.MediaKind;
import dev.cskit.media.forward.OutboundStream;
import dev.cskit.media.forward.ReceiveStatistics;
import dev.cskit.media.forward.TrackSpec;
import dev.cskit.media.ice.IceLiteAgent;
import dev.cskit.media.ice.IceResult;
import dev.cskit.media.rtcp.Fir;
import dev.cskit.media.rtcp.Nack;
import dev.cskit.media.rtcp.Pli;
import dev.cskit.media.rtcp.RtcpCompound;
import dev.cskit.media.rtcp.RtcpWriter;
import dev.cskit.media.rtcp.SenderReport;
import dev.cskit.media.rtp.RtpPacket;
import dev.cskit.media.srtp.SrtpContext;
import dev.cskit.media.stun.PacketKind;
import dev.cskit.media.whip.MediaEngine.Counter;
import dev.cskit.media.whip.MediaEngine.DatagramSink;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's packet path: each datagram of the media port is classified (RFC 7983), STUN is answered by the
 * peer's ICE-lite agent, DTLS goes to the peer's endpoint, SRTP is unprotected, rewritten for each player of the
 * stream and protected again, and RTCP is answered (NACK from the retransmission cache), relayed (sender reports,
 * keyframe requests) or consumed. Bad datagrams are dropped and counted, never thrown.
 *
 * <p>Thread-safety: {@link #onDatagram} is called by one thread at a time (the network thread). Outbound
 * protection is guarded by the peer because keyframe requests and reports come from other threads.
 */
final class PacketPath {

    private static final Logger log = LoggerFactory.getLogger(PacketPath.class);
    private static final long KEYFRAME_REQUEST_INTERVAL_NANOS = 300_000_000L;

    private final PeerTable table;
    private final DatagramSink sink;
    private final LongSupplier nanoTime;
    private final PacketTap tap;
    private final AtomicLong[] counters = new AtomicLong[Counter.values().length];

    // Network-thread scratch: parsers are flyweights reused for every packet.
    private final RtpPacket rtp = new RtpPacket();
    private final RtcpCompound rtcp = new RtcpCompound();
    private final SenderReport sr = new SenderReport();
    private final Pli pli = new Pli();
    private final Fir fir = new Fir();
    private final Nack nack = new Nack();

    PacketPath(PeerTable table, DatagramSink sink, LongSupplier nanoTime, PacketTap tap) {
        this.table = table;
        this.sink = sink;
        this.nanoTime = nanoTime;
        this.tap = tap;
        for (int i = 0; i < counters.length; i++) {
            counters[i] = new AtomicLong();
        }
    }

    long counter(Counter c) {
        return counters[c.ordinal()].get();
    }

    private void count(Counter c) {
        counters[c.ordinal()].incrementAndGet();
    }

    /** One datagram from the media port. Never throws; never keeps {@code buf}. */
    void onDatagram(byte[] buf, int off, int len, InetSocketAddress from) {
        count(Counter.DATAGRAMS);
        try {
            switch (PacketKind.classify(buf, off, len)) {
                case STUN -> onStun(buf, off, len, from);
                case DTLS -> {
                    Peer p = table.byAddress.get(from);
                    if (p == null) {
                        count(Counter.NO_PEER);
                    } else {
                        p.dtls.receive(buf, off, len);
                    }
                }
                case RTP -> onRtp(buf, off, len, from);
                case RTCP -> onRtcp(buf, off, len, from);
                default -> count(Counter.UNKNOWN_KIND);
            }
        } catch (RuntimeException e) {
            // A bug must not take the media port down; count it like any other dropped datagram.
            count(Counter.UNKNOWN_KIND);
            log.warn("dropped a datagram from {} after an unexpected error", from, e);
        }
    }

    private void onStun(byte[] buf, int off, int len, InetSocketAddress from) {
        Peer p = table.byAddress.get(from);
        if (p == null) {
            Optional<String> ufrag = IceLiteAgent.localUfragOf(buf, off, len);
            p = ufrag.map(table.byUfrag::get).orElse(null);
            if (p == null) {
                count(Counter.NO_PEER);
                return;
            }
        }
        long now = nanoTime.getAsLong();
        IceResult r = p.ice.handle(buf, off, len, from, now, p.stunOut, 0);
        if (r.respondedWithResponse()) {
            sink.send(p.stunOut, 0, p.ice.responseLength(), from);
        }
        if (r == IceResult.SUCCESS) {
            if (!from.equals(p.remote) || table.byAddress.get(from) != p) {
                table.byAddress.put(from, p);
            }
            InetSocketAddress selected = p.ice.selectedAddress().orElse(from);
            if (!selected.equals(p.remote)) {
                p.remote = selected;
            }
        } else {
            count(Counter.STUN_REJECTED);
        }
    }

    private void onRtp(byte[] buf, int off, int len, InetSocketAddress from) {
        Peer p = table.byAddress.get(from);
        SrtpContext rx = p == null ? null : p.rx;
        if (rx == null) {
            count(Counter.NO_PEER);
            return;
        }
        int n = rx.unprotectRtp(buf, off, len);
        if (n < 0) {
            p.packetsDropped.incrementAndGet();
            count(Counter.SRTP_FAILED);
            return;
        }
        p.packetsReceived.incrementAndGet();
        p.bytesReceived.addAndGet(n);
        if (p.role != PeerRole.PUBLISH || !rtp.wrap(buf, off, n)) {
            return; // players send no media; anything they send is counted and ignored
        }
        TrackSpec track = p.trackByPt[rtp.payloadType()];
        if (track == null) {
            count(Counter.NO_CODEC);
            return;
        }
        if (track.kind() == MediaKind.VIDEO) {
            p.videoSsrc = rtp.ssrc();
        }
        long now = nanoTime.getAsLong();
        CodecSpec codec = track.codec(rtp.payloadType());
        ReceiveStatistics rs = p.receiveStats(rtp.ssrc(), codec == null ? 90000 : codec.clockRate());
        if (rs != null) {
            rs.onPacket(rtp.sequenceNumber(), rtp.timestamp(), now);
        }
        Stream s = p.stream;
        if (s.paused) {
            count(Counter.HELD);
            return;
        }
        for (Peer player : s.players) {
            forward(player, track, now);
        }
        if (tap != null && codec != null) {
            tap.onRtp(s.key, track, codec, buf, off, n); // after the hold check: held media is not tapped
        }
    }

    private void forward(Peer player, TrackSpec track, long now) {
        OutboundStream os = player.outFor(track.kind());
        InetSocketAddress to = player.remote;
        if (os == null || to == null || player.tx == null) {
            return;
        }
        synchronized (player) {
            int len = os.rewrite(rtp, track, player.out, 0, now);
            if (len < 0) {
                player.packetsDropped.incrementAndGet();
                count(Counter.NO_CODEC);
                return;
            }
            SrtpContext playerTx = player.tx;
            int n = playerTx == null ? -1 : playerTx.protectRtp(player.out, 0, len);
            if (n < 0) {
                player.packetsDropped.incrementAndGet();
                return;
            }
            sink.send(player.out, 0, n, to);
            player.packetsSent.incrementAndGet();
            player.bytesSent.addAndGet(n);
        }
    }

    private void onRtcp(byte[] buf, int off, int len, InetSocketAddress from) {
        Peer p = table.byAddress.get(from);
        SrtpContext rx = p == null ? null : p.rx;
        if (rx == null) {
            count(Counter.NO_PEER);
            return;
        }
        int n = rx.unprotectRtcp(buf, off, len);
        if (n < 0 || !rtcp.wrap(buf, off, n)) {
            p.packetsDropped.incrementAndGet();
            count(Counter.RTCP_FAILED);
            return;
        }
        while (rtcp.next()) {
            int type = rtcp.packetType();
            int at = rtcp.packetOffset();
            int plen = rtcp.packetLength();
            if (p.role == PeerRole.PUBLISH && type == RtcpCompound.SR && sr.wrap(buf, at, plen)) {
                ReceiveStatistics rs = p.findReceiveStats(sr.ssrc());
                if (rs != null) {
                    rs.onSenderReport(sr.ntpTimestamp(), nanoTime.getAsLong());
                }
                relaySenderReport(p);
            } else if (p.role == PeerRole.PLAY && type == RtcpCompound.PSFB) {
                if ((rtcp.count() == Pli.FMT && pli.wrap(buf, at, plen))
                        || (rtcp.count() == Fir.FMT && fir.wrap(buf, at, plen))) {
                    Stream s = p.stream;
                    Peer pub = s == null ? null : s.publisher;
                    if (pub != null && !s.paused) {
                        requestKeyframe(pub, false);
                    }
                }
            } else if (p.role == PeerRole.PLAY && type == RtcpCompound.RTPFB && rtcp.count() == Nack.FMT
                    && nack.wrap(buf, at, plen)) {
                answerNack(p);
            }
        }
    }

    // RFC 3550 §6.4.1: the player needs the publisher's NTP/RTP timestamp pair in its own timeline to sync
    // audio and video; rewrite SSRC and RTP timestamp and send the counts of what we forwarded.
    private void relaySenderReport(Peer publisher) {
        Stream s = publisher.stream;
        if (s == null || s.paused) {
            return;
        }
        long ssrc = sr.ssrc();
        for (Peer player : s.players) {
            InetSocketAddress to = player.remote;
            if (to == null || player.tx == null) {
                continue;
            }
            for (OutboundStream os : player.outs) {
                long ts = os.mapTimestamp(ssrc, sr.rtpTimestamp());
                if (ts < 0) {
                    continue;
                }
                synchronized (player) {
                    int len = RtcpWriter.writeSenderReport(player.out, 0, os.ssrc(), sr.ntpTimestamp(), ts,
                            os.packets(), os.octets(), List.of());
                    SrtpContext playerTx = player.tx;
                    int n = playerTx == null ? -1 : playerTx.protectRtcp(player.out, 0, len);
                    if (n > 0) {
                        sink.send(player.out, 0, n, to);
                    }
                }
            }
        }
    }

    // RFC 4585 §6.2.1: each FCI entry names a lost packet (PID) and a bitmask of the 16 after it (BLP).
    private void answerNack(Peer player) {
        OutboundStream os = player.outBySsrc(nack.mediaSsrc());
        InetSocketAddress to = player.remote;
        if (os == null || to == null || player.tx == null) {
            return;
        }
        for (int i = 0; i < nack.entryCount(); i++) {
            int pid = nack.pid(i);
            int blp = nack.blp(i);
            for (int bit = -1; bit < 16; bit++) {
                if (bit >= 0 && (blp & (1 << bit)) == 0) {
                    continue;
                }
                int seq = (pid + bit + 1) & 0xFFFF;
                synchronized (player) {
                    int len = os.retransmission(seq, player.out, 0);
                    if (len < 0) {
                        continue;
                    }
                    SrtpContext playerTx = player.tx;
                    int n = playerTx == null ? -1 : playerTx.protectRtp(player.out, 0, len);
                    if (n > 0) {
                        sink.send(player.out, 0, n, to);
                        player.nacksAnswered.incrementAndGet();
                    }
                }
            }
        }
    }

    // RFC 4585 §6.3.1 PLI, throttled so a storm of player requests does not flood the publisher.
    void requestKeyframe(Peer publisher, boolean force) {
        InetSocketAddress to = publisher.remote;
        long media = publisher.videoSsrc;
        if (to == null || publisher.tx == null || media < 0) {
            return;
        }
        long now = nanoTime.getAsLong();
        synchronized (publisher) {
            if (!force && now - publisher.lastKeyframeRequestNanos < KEYFRAME_REQUEST_INTERVAL_NANOS) {
                return;
            }
            publisher.lastKeyframeRequestNanos = now;
            int len = RtcpWriter.writePli(publisher.out, 0, publisher.localSsrc, media);
            SrtpContext publisherTx = publisher.tx;
            int n = publisherTx == null ? -1 : publisherTx.protectRtcp(publisher.out, 0, len);
            if (n > 0) {
                sink.send(publisher.out, 0, n, to);
                publisher.keyframeRequests.incrementAndGet();
            }
        }
    }

    /**
     * Sends every connected publisher a receiver report (RFC 3550 §6.4.2) about what the server received of it,
     * with an SDES CNAME as a compound packet needs (§6.1).
     */
    void sendReceiverReports() {
        long now = nanoTime.getAsLong();
        for (Peer p : table.byId.values()) {
            InetSocketAddress to = p.remote;
            if (p.role != PeerRole.PUBLISH || to == null || p.tx == null) {
                continue;
            }
            List<RtcpWriter.ReportBlock> blocks = new ArrayList<>();
            for (ReceiveStatistics rs : p.receiveStats) {
                RtcpWriter.ReportBlock b = rs.reportBlock(now);
                if (b != null) {
                    blocks.add(b);
                }
            }
            if (blocks.isEmpty()) {
                continue;
            }
            synchronized (p) {
                SrtpContext tx = p.tx;
                if (tx == null) {
                    continue;
                }
                int len = RtcpWriter.writeReceiverReport(p.out, 0, p.localSsrc, blocks);
                len += RtcpWriter.writeSdesCname(p.out, len, p.localSsrc, "cskit");
                int n = tx.protectRtcp(p.out, 0, len);
                if (n > 0) {
                    sink.send(p.out, 0, n, to);
                }
            }
        }
    }
}
