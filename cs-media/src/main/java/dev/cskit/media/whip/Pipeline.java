/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.whip;

import dev.cskit.media.forward.CodecSpec;
import dev.cskit.media.forward.MediaKind;
import dev.cskit.media.forward.NackResponder;
import dev.cskit.media.forward.OutboundStream;
import dev.cskit.media.forward.TrackSpec;
import dev.cskit.media.ice.IceLiteAgent;
import dev.cskit.media.ice.IceProtocol;
import dev.cskit.media.ice.IceResult;
import dev.cskit.media.rtcp.Fir;
import dev.cskit.media.rtcp.Nack;
import dev.cskit.media.rtcp.Pli;
import dev.cskit.media.rtcp.ReceiverReport;
import dev.cskit.media.rtcp.RtcpCompound;
import dev.cskit.media.rtcp.RtcpWriter;
import dev.cskit.media.rtcp.SenderReport;
import dev.cskit.media.rtp.RtpPacket;
import dev.cskit.media.srtp.SrtpContext;
import dev.cskit.media.stun.PacketKind;
import dev.cskit.media.whip.MediaEngine.Counter;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One media loop's packet path, in named {@link Stage}s: demux → unprotect → parse and stats → hold gate →
 * fan-out → protect → tap. STUN is answered by the peer's ICE-lite agent and DTLS handed to its endpoint at the
 * demux; SRTCP goes from unprotect to the RTCP handling (sender reports relayed, keyframe requests passed on,
 * NACKs answered by the player's {@link NackResponder}). Every drop is a result code and a counter, never an
 * exception, never a log line.
 *
 * <p>Not thread-safe, on purpose: the loop's thread owns it, its scratch buffers and every counter, so nothing
 * on the path takes a lock or reads a volatile.
 */
final class Pipeline {

    private static final Logger log = LoggerFactory.getLogger(Pipeline.class);
    private static final long KEYFRAME_REQUEST_INTERVAL_NANOS = 300_000_000L;
    private static final int STAGES = Stage.values().length;

    private final PeerTable table;
    private final LoopContext io;
    private final LongSupplier nanoTime;
    private final PacketTap tap;

    final long[] in = new long[STAGES];
    final long[] out = new long[STAGES];
    final long[] dropped = new long[STAGES];
    final long[] counters = new long[Counter.values().length];

    // Flyweight parsers and scratch buffers, reused for every packet.
    private final RtpPacket rtp = new RtpPacket();
    private final RtcpCompound rtcp = new RtcpCompound();
    private final SenderReport sr = new SenderReport();
    private final ReceiverReport rr = new ReceiverReport();
    private final Pli pli = new Pli();
    private final Fir fir = new Fir();
    private final Nack nack = new Nack();
    /** What the loop sends: rewritten RTP, RTCP, retransmissions. */
    private final byte[] scratch = new byte[1600];
    private final byte[] stunOut = new byte[IceLiteAgent.MIN_OUTPUT];
    private Peer resendTo;
    private final NackResponder.Resend resend = (buf, len) -> send(resendTo, buf, len, false) > 0;

    Pipeline(PeerTable table, LoopContext io, LongSupplier nanoTime, PacketTap tap) {
        this.table = table;
        this.io = io;
        this.nanoTime = nanoTime;
        this.tap = tap;
    }

    private void drop(Counter reason) {
        counters[reason.ordinal()]++;
        dropped[reason.stage().ordinal()]++;
    }

    /** One datagram from the loop's socket. Never throws; never keeps {@code buf}. */
    void onDatagram(byte[] buf, int off, int len, InetSocketAddress from) {
        onDatagram(buf, off, len, from, IceProtocol.UDP);
    }

    /**
     * One packet over {@code protocol}: a UDP datagram, or an RFC 4571 frame of the ICE-TCP connection from
     * {@code from}, which then goes through the same stages. Never throws; never keeps {@code buf}.
     */
    void onDatagram(byte[] buf, int off, int len, InetSocketAddress from, IceProtocol protocol) {
        counters[Counter.DATAGRAMS.ordinal()]++;
        in[Stage.DEMUX.ordinal()]++;
        try {
            PacketKind kind = PacketKind.classify(buf, off, len);
            if (kind == PacketKind.STUN) {
                stun(buf, off, len, from, protocol);
                return;
            }
            if (kind != PacketKind.DTLS && kind != PacketKind.RTP && kind != PacketKind.RTCP) {
                drop(Counter.UNKNOWN_KIND);
                return;
            }
            Peer p = table.byAddress(protocol).get(from);
            if (p == null || (kind != PacketKind.DTLS && p.rx == null)) {
                drop(Counter.NO_PEER);
                return;
            }
            out[Stage.DEMUX.ordinal()]++;
            switch (kind) {
                case DTLS -> p.dtls.receive(buf, off, len);
                case RTP -> rtp(p, buf, off, len);
                default -> rtcp(p, buf, off, len);
            }
        } catch (RuntimeException e) {
            // A bug must not take the media loop down; count it like any other dropped datagram.
            drop(Counter.UNKNOWN_KIND);
            log.warn("dropped a datagram from {} after an unexpected error", from, e);
        }
    }

    private void stun(byte[] buf, int off, int len, InetSocketAddress from, IceProtocol protocol) {
        Peer p = table.byAddress(protocol).get(from);
        if (p == null) {
            Optional<String> ufrag = IceLiteAgent.localUfragOf(buf, off, len);
            p = ufrag.map(table.byUfrag::get).orElse(null);
            if (p == null) {
                drop(Counter.NO_PEER);
                return;
            }
        }
        IceResult r = p.ice.handle(buf, off, len, from, nanoTime.getAsLong(), stunOut, 0);
        if (r.respondedWithResponse()) {
            io.send(stunOut, 0, p.ice.responseLength(), from, protocol);
        }
        if (r != IceResult.SUCCESS) {
            drop(Counter.STUN_REJECTED);
            return;
        }
        out[Stage.DEMUX.ordinal()]++;
        if (table.byAddress(protocol).put(from, p) != p && protocol == IceProtocol.TCP) {
            io.checked(from, protocol); // the host's unauthenticated ICE-TCP connection is a peer's now
        }
        // The agent selects by address; the pair's transport is that of the check from the selected address.
        InetSocketAddress selected = p.ice.selectedAddress().orElse(from);
        if (selected.equals(from)) {
            p.remoteProtocol = protocol;
        }
        p.remote = selected;
    }

    private void rtp(Peer p, byte[] buf, int off, int len) {
        in[Stage.UNPROTECT.ordinal()]++;
        int n = p.rx.unprotectRtp(buf, off, len);
        if (n < 0) {
            p.packetsDropped++;
            drop(Counter.SRTP_FAILED);
            return;
        }
        out[Stage.UNPROTECT.ordinal()]++;
        p.packetsReceived++;
        p.bytesReceived += n;
        if (p.role != PeerRole.PUBLISH) {
            return; // players send no media; anything they send is counted and ignored
        }
        in[Stage.PARSE.ordinal()]++;
        if (!rtp.wrap(buf, off, n)) {
            drop(Counter.MALFORMED);
            return;
        }
        int pt = rtp.payloadType();
        TrackSpec track = p.trackByPt[pt];
        if (track == null) {
            drop(Counter.NO_CODEC);
            return;
        }
        if (track.kind() == MediaKind.VIDEO) {
            p.videoSsrc = rtp.ssrc();
        }
        long now = nanoTime.getAsLong();
        CodecSpec codec = p.codecByPt[pt];
        p.reports.onRtp(rtp.ssrc(), track.kind(), codec.clockRate(), rtp.sequenceNumber(), rtp.timestamp(), now);
        out[Stage.PARSE.ordinal()]++;

        Stream s = p.stream;
        in[Stage.HOLD_GATE.ordinal()]++;
        if (s.paused) {
            drop(Counter.HELD);
            return;
        }
        out[Stage.HOLD_GATE.ordinal()]++;
        for (Peer player : s.players) {
            fanOut(player, track, now);
        }
        if (tap != null) {
            in[Stage.TAP.ordinal()]++;
            tap.onRtp(s.key, track, codec, buf, off, n); // after the hold gate: held media is not tapped
            out[Stage.TAP.ordinal()]++;
        }
    }

    private void fanOut(Peer player, TrackSpec track, long now) {
        OutboundStream os = track.kind() == MediaKind.VIDEO ? player.videoOut : player.audioOut;
        if (os == null) {
            return; // the player did not ask for this kind of media
        }
        in[Stage.FAN_OUT.ordinal()]++;
        if (player.remote == null || player.tx == null) {
            drop(Counter.NOT_CONNECTED);
            return;
        }
        int len = os.rewrite(rtp, track, scratch, 0, now);
        if (len < 0) {
            player.packetsDropped++;
            drop(Counter.NO_CODEC_AT_PLAYER);
            return;
        }
        out[Stage.FAN_OUT.ordinal()]++;
        int n = send(player, scratch, len, false);
        if (n > 0) {
            player.packetsSent++;
            player.bytesSent += n;
        }
    }

    /** PROTECT: protects {@code len} plain bytes of {@code buf} in place for {@code to} and sends them. */
    private int send(Peer to, byte[] buf, int len, boolean rtcpPacket) {
        in[Stage.PROTECT.ordinal()]++;
        SrtpContext tx = to.tx;
        int n = tx == null || to.remote == null ? -1 : rtcpPacket ? tx.protectRtcp(buf, 0, len) : tx.protectRtp(buf, 0, len);
        if (n < 0) {
            to.packetsDropped++;
            drop(Counter.PROTECT_FAILED);
            return n;
        }
        io.send(buf, 0, n, to.remote, to.remoteProtocol);
        out[Stage.PROTECT.ordinal()]++;
        return n;
    }

    private void rtcp(Peer p, byte[] buf, int off, int len) {
        in[Stage.UNPROTECT.ordinal()]++;
        int n = p.rx.unprotectRtcp(buf, off, len);
        if (n < 0 || !rtcp.wrap(buf, off, n)) {
            p.packetsDropped++;
            drop(Counter.RTCP_FAILED);
            return;
        }
        out[Stage.UNPROTECT.ordinal()]++;
        while (rtcp.next()) {
            int type = rtcp.packetType();
            int at = rtcp.packetOffset();
            int plen = rtcp.packetLength();
            if (p.role == PeerRole.PUBLISH && type == RtcpCompound.SR && sr.wrap(buf, at, plen)) {
                p.reports.onSenderReport(sr.ssrc(), sr.ntpTimestamp(), nanoTime.getAsLong());
                relaySenderReport(p);
            } else if (p.role == PeerRole.PLAY && type == RtcpCompound.RR && rr.wrap(buf, at, plen)) {
                receiverReport(p);
            } else if (p.role == PeerRole.PLAY && type == RtcpCompound.PSFB) {
                if ((rtcp.count() == Pli.FMT && pli.wrap(buf, at, plen))
                        || (rtcp.count() == Fir.FMT && fir.wrap(buf, at, plen))) {
                    Stream s = p.stream;
                    if (s.publisher != null && !s.paused) {
                        requestKeyframe(s.publisher, false);
                    }
                }
            } else if (p.role == PeerRole.PLAY && type == RtcpCompound.RTPFB && rtcp.count() == Nack.FMT
                    && nack.wrap(buf, at, plen)) {
                OutboundStream os = p.outBySsrc(nack.mediaSsrc());
                if (os != null && os.nacks() != null) {
                    resendTo = p;
                    os.nacks().answer(nack, scratch, resend);
                    resendTo = null;
                }
            }
        }
    }

    // RFC 3550 §6.4.1: the player's report blocks on the streams we send it, for the call's quality.
    private void receiverReport(Peer player) {
        long now = nanoTime.getAsLong();
        for (int i = 0, n = rr.reportCount(); i < n; i++) {
            OutboundStream os = player.outBySsrc(rr.blockSsrc(i));
            if (os != null) {
                os.feedback().onReportBlock(os.firstSequence(), rr.cumulativeLost(i), rr.extendedHighestSequence(i),
                        rr.jitter(i), rr.lastSr(i), rr.delaySinceLastSr(i), os.clockRate(), now);
            }
        }
    }

    // RFC 3550 §6.4.1: the player needs the publisher's NTP/RTP timestamp pair in its own timeline to sync
    // audio and video; rewrite SSRC and RTP timestamp and send the counts of what we forwarded.
    private void relaySenderReport(Peer publisher) {
        Stream s = publisher.stream;
        if (s.paused) {
            return;
        }
        long ssrc = sr.ssrc();
        for (Peer player : s.players) {
            for (OutboundStream os : player.outs) {
                long ts = os.mapTimestamp(ssrc, sr.rtpTimestamp());
                if (ts >= 0 && player.tx != null) {
                    int len = RtcpWriter.writeSenderReport(scratch, 0, os.ssrc(), sr.ntpTimestamp(), ts,
                            os.packets(), os.octets(), List.of());
                    if (send(player, scratch, len, true) > 0) {
                        os.feedback().senderReportSent(sr.ntpTimestamp(), nanoTime.getAsLong());
                    }
                }
            }
        }
    }

    /** RFC 4585 §6.3.1 PLI, throttled so a storm of player requests does not flood the publisher. */
    void requestKeyframe(Peer publisher, boolean force) {
        long now = nanoTime.getAsLong();
        if (publisher.tx == null || publisher.remote == null || publisher.videoSsrc < 0
                || (!force && now - publisher.lastKeyframeRequestNanos < KEYFRAME_REQUEST_INTERVAL_NANOS)) {
            return;
        }
        publisher.lastKeyframeRequestNanos = now;
        int len = RtcpWriter.writePli(scratch, 0, publisher.localSsrc, publisher.videoSsrc);
        if (send(publisher, scratch, len, true) > 0) {
            publisher.keyframeRequests++;
        }
    }

    /** Sends the publisher its receiver report if one is due (RFC 3550 §6.4.2). */
    void report(Peer publisher, long now) {
        if (publisher.tx == null || publisher.remote == null) {
            return;
        }
        int len = publisher.reports.poll(now, scratch, 0);
        if (len > 0) {
            send(publisher, scratch, len, true);
        }
    }

    /** A DTLS datagram for {@code p}'s client, made on the handshake thread and posted here. */
    void sendDtls(Peer p, byte[] datagram) {
        if (p.remote != null) {
            io.send(datagram, 0, datagram.length, p.remote, p.remoteProtocol);
        }
    }
}
