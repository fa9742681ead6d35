/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.testkit;

import dev.cskit.media.dtls.DtlsFingerprint;
import dev.cskit.media.ice.IceCredentials;
import dev.cskit.media.sdp.Attribute;
import dev.cskit.media.sdp.MediaDescription;
import dev.cskit.media.sdp.SdpException;
import dev.cskit.media.sdp.SdpParser;
import dev.cskit.media.sdp.SessionDescription;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The client's side of the WHIP/WHEP offer/answer: what {@link ClientPeer} offers and reads back. Stateless. */
final class ClientSdp {

    private static final String EXT_SDES_MID = "urn:ietf:params:rtp-hdrext:sdes:mid";
    private static final int MID_EXT_ID = 1;

    private ClientSdp() {
    }

    /** One offered m-section. */
    record Section(String kind, String mid, int pt, String rtpmap, String fmtp, List<String> feedback, long ssrc) {
    }

    /** What the client needs from the server's answer. */
    record Answer(IceCredentials ice, DtlsFingerprint fingerprint, InetSocketAddress candidate,
                  List<AnsweredMedia> media) {
    }

    /**
     * A browser-like offer: BUNDLE of the sections, rtcp-mux, the sdes:mid extension, ICE credentials, the
     * certificate fingerprint and {@code a=setup:actpass}; {@code sendonly} with {@code a=ssrc} for a publisher,
     * {@code recvonly} for a player.
     */
    static String offer(boolean publish, SecureRandom random, String cname, IceCredentials ice,
                        DtlsFingerprint fingerprint, Section... sections) {
        StringBuilder sb = new StringBuilder(1536);
        line(sb, "v=0");
        line(sb, "o=- " + (random.nextLong() & Long.MAX_VALUE) + " 2 IN IP4 127.0.0.1");
        line(sb, "s=-");
        line(sb, "t=0 0");
        StringBuilder bundle = new StringBuilder("a=group:BUNDLE");
        for (Section s : sections) {
            bundle.append(' ').append(s.mid());
        }
        line(sb, bundle.toString());
        line(sb, "a=msid-semantic: WMS " + cname);
        for (Section s : sections) {
            line(sb, "m=" + s.kind() + " 9 UDP/TLS/RTP/SAVPF " + s.pt());
            line(sb, "c=IN IP4 0.0.0.0");
            line(sb, "a=ice-ufrag:" + ice.ufrag());
            line(sb, "a=ice-pwd:" + ice.pwd());
            line(sb, "a=fingerprint:" + fingerprint.toSdp());
            line(sb, "a=setup:actpass");
            line(sb, "a=mid:" + s.mid());
            line(sb, "a=extmap:" + MID_EXT_ID + " " + EXT_SDES_MID);
            line(sb, publish ? "a=sendonly" : "a=recvonly");
            line(sb, "a=rtcp-mux");
            line(sb, "a=rtpmap:" + s.pt() + " " + s.rtpmap());
            for (String fb : s.feedback()) {
                line(sb, "a=rtcp-fb:" + s.pt() + " " + fb);
            }
            if (!s.fmtp().isEmpty()) {
                line(sb, "a=fmtp:" + s.pt() + " " + s.fmtp());
            }
            if (publish) {
                line(sb, "a=msid:" + cname + " " + s.kind());
                line(sb, "a=ssrc:" + s.ssrc() + " cname:" + cname);
            }
        }
        return sb.toString();
    }

    /**
     * Reads the server's answer: its ICE credentials, fingerprint, first UDP host candidate and, per accepted
     * section, the payload type and (WHEP) the SSRC it announced.
     *
     * @throws SdpException if the answer is malformed or lacks what the client needs
     */
    static Answer readAnswer(String answerSdp) throws SdpException {
        SessionDescription sd = SdpParser.parse(answerSdp);
        List<AnsweredMedia> media = new ArrayList<>();
        MediaDescription first = null;
        for (MediaDescription m : sd.media()) {
            if (m.port() == 0 || m.payloadFormats().isEmpty()) {
                continue;
            }
            if (first == null) {
                first = m;
            }
            Optional<Long> ssrc = m.ssrcs().keySet().stream().findFirst();
            media.add(new AnsweredMedia(m.mid().orElse(""), m.kind(),
                    m.payloadFormats().get(0).payloadType(), ssrc));
        }
        if (first == null) {
            throw new SdpException(0, "the answer accepted no media section");
        }
        String ufrag = transport(sd, first, "ice-ufrag").value();
        String pwd = transport(sd, first, "ice-pwd").value();
        Attribute fpLine = transport(sd, first, "fingerprint");
        Attribute setup = transport(sd, first, "setup");
        if (!setup.value().equals("passive")) {
            throw new SdpException(setup.line(), "this client is the DTLS client: the answer must be a=setup:passive");
        }
        DtlsFingerprint fp;
        IceCredentials remote;
        try {
            fp = DtlsFingerprint.parse(fpLine.value());
            remote = new IceCredentials(ufrag, pwd);
        } catch (IllegalArgumentException e) {
            throw new SdpException(fpLine.line(), e.getMessage());
        }
        InetSocketAddress candidate = null;
        for (String c : first.candidates()) {
            // RFC 8839 §5.1: foundation component transport priority address port "typ" type
            String[] f = c.trim().split("\\s+");
            if (f.length >= 8 && f[1].equals("1") && f[2].equalsIgnoreCase("udp")) {
                try {
                    candidate = new InetSocketAddress(InetAddress.getByName(f[4]), Integer.parseInt(f[5]));
                    break;
                } catch (UnknownHostException | IllegalArgumentException e) {
                    // an mDNS name or a bad port: try the next one
                }
            }
        }
        if (candidate == null) {
            throw new SdpException(first.line(), "the answer has no usable UDP host candidate (ICE-lite server)");
        }
        return new Answer(remote, fp, candidate, List.copyOf(media));
    }

    private static Attribute transport(SessionDescription sd, MediaDescription m, String name) throws SdpException {
        Optional<Attribute> a = m.attribute(name);
        if (a.isEmpty()) {
            a = sd.attribute(name);
        }
        return a.orElseThrow(() -> new SdpException(m.line(), "the answer has no a=" + name));
    }

    private static void line(StringBuilder sb, String s) {
        sb.append(s).append("\r\n");
    }
}
