/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.whip;

import dev.cskit.media.dtls.DtlsCertificate;
import dev.cskit.media.dtls.DtlsFingerprint;
import dev.cskit.media.forward.CodecSpec;
import dev.cskit.media.forward.MediaKind;
import dev.cskit.media.forward.TrackSpec;
import dev.cskit.media.ice.IceCredentials;
import dev.cskit.media.ice.IceLiteAgent;
import dev.cskit.media.sdp.NegotiatedCodec;
import dev.cskit.media.sdp.NegotiatedMedia;
import dev.cskit.media.sdp.SdpAnswer;
import dev.cskit.media.sdp.SdpAnswerer;
import dev.cskit.media.sdp.SdpException;
import dev.cskit.media.sdp.SendTrack;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Turns a WHIP or WHEP offer into an answer and the {@link Peer} it describes: ICE credentials, our SSRCs, the
 * negotiated tracks, the client's DTLS fingerprint. Pure: it registers nothing and sends nothing.
 *
 * <p>Thread-safe (the random source is).
 */
final class PeerFactory {

    private final DtlsCertificate certificate;
    private final Duration consentTimeout;
    private final SecureRandom random = new SecureRandom();

    PeerFactory(DtlsCertificate certificate, Duration consentTimeout) {
        this.certificate = certificate;
        this.consentTimeout = consentTimeout;
    }

    /** A negotiated peer, not registered yet, and what to answer its client. */
    record Offered(Peer peer, DtlsFingerprint remoteFingerprint, PeerResource resource) {
    }

    /**
     * Answers {@code offerSdp} for a peer that will be reached at {@code candidates}, choosing {@code videoHint}
     * (nullable) first when the offer has it.
     *
     * @throws SdpException   if the offer is malformed or unusable (the message names the line)
     * @throws MediaException if it has nothing the server can send or receive
     */
    Offered answer(PeerRole role, StreamKey key, String owner, String offerSdp, List<InetSocketAddress> candidates,
                   CodecSpec videoHint, long nowNanos) throws SdpException, MediaException {
        return answer(role, key, owner, offerSdp, candidates, List.of(), videoHint, nowNanos);
    }

    /** As above, with passive ICE-TCP host candidates ({@code tcpCandidates}) after the UDP ones. */
    Offered answer(PeerRole role, StreamKey key, String owner, String offerSdp, List<InetSocketAddress> candidates,
                   List<InetSocketAddress> tcpCandidates, CodecSpec videoHint, long nowNanos)
            throws SdpException, MediaException {
        IceCredentials local = IceCredentials.random(random);
        String[] fp = certificate.fingerprint().toSdp().split(" ", 2);
        SdpAnswerer.Builder ab = SdpAnswerer.builder(role == PeerRole.PUBLISH ? SdpAnswerer.Mode.WHIP
                : SdpAnswerer.Mode.WHEP).iceCredentials(local.ufrag(), local.pwd()).fingerprint(fp[0], fp[1]);
        candidates.forEach(ab::candidate);
        tcpCandidates.forEach(ab::tcpCandidate);
        if (videoHint != null) {
            ab.preferVideo(videoHint.name(), videoHint.fmtp());
        }
        long audioSsrc = randomSsrc();
        long videoSsrc = randomSsrc();
        String id = HexFormat.of().formatHex(randomBytes(16));
        if (role == PeerRole.PLAY) {
            String msid = "cskit-" + id.substring(0, 8);
            ab.sendTrack(new SendTrack("audio", audioSsrc, 0, msid, "audio-" + id.substring(0, 6), msid));
            ab.sendTrack(new SendTrack("video", videoSsrc, 0, msid, "video-" + id.substring(0, 6), msid));
        }
        SdpAnswer answer = ab.build().answer(offerSdp);
        List<TrackSpec> tracks = new ArrayList<>();
        for (NegotiatedMedia m : answer.negotiated().media()) {
            MediaKind kind = m.kind().equals("audio") ? MediaKind.AUDIO : MediaKind.VIDEO;
            List<CodecSpec> codecs = new ArrayList<>();
            boolean nack = false;
            for (NegotiatedCodec c : m.codecs()) {
                codecs.add(new CodecSpec(c.payloadType(), c.name(), c.clockRate(), c.channels(), c.fmtp()));
                nack |= c.hasFeedback("nack");
            }
            long ssrc = role == PeerRole.PLAY ? m.sendTrack().map(SendTrack::ssrc).orElse(0L)
                    : m.remoteSsrcs().isEmpty() ? 0 : m.remoteSsrcs().get(0);
            tracks.add(new TrackSpec(m.mid(), kind, codecs, m.extmapIds(), nack, ssrc));
        }
        if (tracks.isEmpty()) {
            throw new MediaException(MediaException.Kind.BAD_OFFER,
                    "the offer has no audio or video section the server can " + (role == PeerRole.PUBLISH
                            ? "receive (offer sendonly Opus, VP8 or H.264)" : "send (offer recvonly Opus, VP8 or H.264)"));
        }
        // The answerer checks syntax only: the credentials' characters and the fingerprint's hash and length are
        // checked here, and a bad value is the client's bad offer (400), not an engine failure.
        IceCredentials remote;
        DtlsFingerprint remoteFp;
        try {
            remote = new IceCredentials(answer.negotiated().remoteUfrag(), answer.negotiated().remotePwd());
            remoteFp = DtlsFingerprint.of(answer.negotiated().remoteFingerprintAlgorithm(),
                    answer.negotiated().remoteFingerprint());
        } catch (IllegalArgumentException e) {
            throw new SdpException(0, e.getMessage());
        }
        IceLiteAgent ice = new IceLiteAgent(local, remote, consentTimeout);
        Peer peer = new Peer(id, role, key, owner, ice, tracks, randomSsrc(), nowNanos);
        peer.etag = newEtag();
        return new Offered(peer, remoteFp, new PeerResource(id, answer.sdp(), peer.etag));
    }

    /** Fresh ICE credentials for a restart. */
    IceCredentials newCredentials() {
        return IceCredentials.random(random);
    }

    /** A fresh strong entity tag (RFC 9110 §8.8.3): a quoted random value. */
    String newEtag() {
        return "\"" + HexFormat.of().formatHex(randomBytes(8)) + "\"";
    }

    private long randomSsrc() {
        long v;
        do {
            v = random.nextInt() & 0xFFFFFFFFL;
        } while (v == 0);
        return v;
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
