/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.sdp;

import static dev.cskit.media.sdp.SdpFixtures.lineOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SdpAnswererTest {
    static final String CHROMIUM_WHIP = SdpFixtures.load("chromium-whip-offer.sdp");
    static final String CHROMIUM_WHEP = SdpFixtures.load("chromium-whep-offer.sdp");
    static final String WERIFT = SdpFixtures.load("werift-offer.sdp");
    static final String FP = "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99";
    static final String UFRAG = "srv1";
    static final String PWD = "serverPwdOfTwentyFour24";

    static SdpAnswerer.Builder builder(SdpAnswerer.Mode mode) {
        return SdpAnswerer.builder(mode)
                .iceCredentials(UFRAG, PWD)
                .fingerprint("sha-256", FP)
                .candidate(new InetSocketAddress("203.0.113.5", 8443))
                .sessionId(42);
    }

    /** The lines of media section {@code index} (0-based) of an answer. */
    static List<String> section(String sdp, int index) {
        List<String> out = new ArrayList<>();
        int seen = -1;
        for (String l : SdpFixtures.lines(sdp)) {
            if (l.startsWith("m=")) {
                seen++;
            }
            if (seen == index) {
                out.add(l);
            }
        }
        return out;
    }

    static List<String> sessionLines(String sdp) {
        List<String> out = new ArrayList<>();
        for (String l : SdpFixtures.lines(sdp)) {
            if (l.startsWith("m=")) {
                break;
            }
            out.add(l);
        }
        return out;
    }

    static void assertTransportLines(List<String> s, String mid) {
        assertTrue(s.contains("c=IN IP4 0.0.0.0"), s.toString());
        assertTrue(s.contains("a=ice-ufrag:" + UFRAG), s.toString());
        assertTrue(s.contains("a=ice-pwd:" + PWD), s.toString());
        assertTrue(s.contains("a=fingerprint:sha-256 " + FP), s.toString());
        assertTrue(s.contains("a=setup:passive"), s.toString());
        assertTrue(s.contains("a=mid:" + mid), s.toString());
        assertTrue(s.contains("a=rtcp-mux"), s.toString());
        assertTrue(s.contains("a=candidate:1 1 udp 2130706431 203.0.113.5 8443 typ host"), s.toString());
        assertEquals("a=end-of-candidates", s.get(s.size() - 1));
    }

    @Test
    void answersChromiumWhipOfferWithEveryRequiredLine() throws SdpException {
        SdpAnswer answer = builder(SdpAnswerer.Mode.WHIP).build().answer(CHROMIUM_WHIP);
        String sdp = answer.sdp();
        assertTrue(sdp.endsWith("\r\n"));
        assertFalse(sdp.replace("\r\n", "").contains("\n"), "CRLF line ends only");
        assertEquals(List.of("v=0", "o=- 42 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0 1", "a=ice-lite"),
                sessionLines(sdp));

        List<String> audio = section(sdp, 0);
        assertEquals("m=audio 9 UDP/TLS/RTP/SAVPF 111", audio.get(0));
        assertTransportLines(audio, "0");
        assertTrue(audio.contains("a=recvonly"));
        assertTrue(audio.contains("a=rtcp-rsize"));
        assertTrue(audio.contains("a=rtpmap:111 opus/48000/2"));
        assertTrue(audio.contains("a=fmtp:111 minptime=10;useinbandfec=1"));
        assertTrue(audio.contains("a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level"));
        assertTrue(audio.contains("a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"));
        assertTrue(audio.contains("a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid"));
        assertFalse(String.join("\n", audio).contains("transport-wide-cc"), "transport-cc dropped");
        assertFalse(String.join("\n", audio).contains("transport-cc"));
        assertFalse(String.join("\n", audio).contains("red/"));
        assertFalse(String.join("\n", audio).contains("a=ssrc"), "WHIP answers announce no SSRC");

        List<String> video = section(sdp, 1);
        assertEquals("m=video 9 UDP/TLS/RTP/SAVPF 96 97", video.get(0));
        assertTransportLines(video, "1");
        assertTrue(video.contains("a=recvonly"));
        assertTrue(video.contains("a=rtpmap:96 VP8/90000"));
        assertEquals(List.of("a=rtcp-fb:96 goog-remb", "a=rtcp-fb:96 ccm fir", "a=rtcp-fb:96 nack",
                "a=rtcp-fb:96 nack pli"), video.stream().filter(l -> l.startsWith("a=rtcp-fb")).toList());
        assertTrue(video.contains("a=rtpmap:97 rtx/90000"));
        assertTrue(video.contains("a=fmtp:97 apt=96"));
        assertEquals(List.of("a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
                "a=extmap:13 urn:3gpp:video-orientation", "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid"),
                video.stream().filter(l -> l.startsWith("a=extmap")).toList());

        NegotiatedSession n = answer.negotiated();
        assertEquals("Kf3n", n.remoteUfrag());
        assertEquals("q9Z3mJ0Hcq2vWgR8zYx7LbNc", n.remotePwd());
        assertEquals("sha-256", n.remoteFingerprintAlgorithm());
        assertTrue(n.remoteFingerprint().startsWith("5B:3A:9F"));
        assertEquals("actpass", n.remoteSetup());
        NegotiatedMedia a = n.media("0").orElseThrow();
        assertEquals("audio", a.kind());
        assertEquals(Direction.RECVONLY, a.direction());
        assertEquals(List.of(new NegotiatedCodec(111, "opus", 48000, 2, "minptime=10;useinbandfec=1", List.of(), -1)),
                a.codecs());
        assertEquals(Map.of(SdpAnswerer.EXT_AUDIO_LEVEL, 1, SdpAnswerer.EXT_ABS_SEND_TIME, 2,
                SdpAnswerer.EXT_SDES_MID, 4), a.extmapIds());
        assertEquals(List.of(1001L), a.remoteSsrcs());
        NegotiatedMedia v = n.media("1").orElseThrow();
        NegotiatedCodec vp8 = v.codecs().get(0);
        assertEquals(96, vp8.payloadType());
        assertEquals("VP8", vp8.name());
        assertEquals(90000, vp8.clockRate());
        assertEquals(97, vp8.rtxPayloadType());
        assertTrue(vp8.hasFeedback("nack pli"));
        assertEquals(Optional.of(vp8), v.codecForPayloadType(97));
        assertEquals(List.of(2002L, 2003L), v.remoteSsrcs());
        assertEquals(List.of(new SsrcGroup("FID", List.of(2002L, 2003L))), v.remoteSsrcGroups());
        assertEquals(Optional.of(13), v.extmapId(SdpAnswerer.EXT_VIDEO_ORIENTATION));
        assertEquals(Optional.empty(), v.sendTrack());
    }

    @Test
    void answerParsesBackConsistently() throws SdpException {
        SdpAnswer answer = builder(SdpAnswerer.Mode.WHIP).build().answer(CHROMIUM_WHIP);
        SessionDescription back = SdpParser.parse(answer.sdp());
        assertTrue(back.iceLite());
        assertEquals(List.of("0", "1"), back.bundleMids());
        assertEquals(Direction.RECVONLY, back.media().get(1).direction());
        assertEquals(List.of(96, 97), back.media().get(1).payloadFormats().stream()
                .map(PayloadFormat::payloadType).toList());
    }

    @Test
    void h264PreferenceChoosesPacketizationMode1WithProfile42e01f() throws SdpException {
        SdpAnswer answer = builder(SdpAnswerer.Mode.WHIP).videoCodecs(List.of("H264", "VP8")).build()
                .answer(CHROMIUM_WHIP);
        List<String> video = section(answer.sdp(), 1);
        assertEquals("m=video 9 UDP/TLS/RTP/SAVPF 106 107", video.get(0));
        assertTrue(video.contains(
                "a=fmtp:106 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f"));
        assertTrue(video.contains("a=fmtp:107 apt=106"));

        // Without 42e01f, another baseline profile with packetization-mode=1 (42001f, pt 102) wins over
        // packetization-mode=0 entries and over main/high profiles.
        String no42e01f = CHROMIUM_WHIP.replace("packetization-mode=1;profile-level-id=42e01f",
                "packetization-mode=0;profile-level-id=42e01f");
        NegotiatedCodec h264 = builder(SdpAnswerer.Mode.WHIP).videoCodecs(List.of("H264")).build()
                .answer(no42e01f).negotiated().media("1").orElseThrow().codecs().get(0);
        assertEquals(102, h264.payloadType());
        assertEquals(103, h264.rtxPayloadType());
    }

    @Test
    void answersChromiumWhepOfferWithSendTracks() throws SdpException {
        SendTrack audioTrack = new SendTrack("audio", 5001, 0, "cs-stream", "cs-audio", "cs-cname");
        SendTrack videoTrack = new SendTrack("video", 6001, 6002, "cs-stream", "cs-video", "cs-cname");
        SdpAnswer answer = builder(SdpAnswerer.Mode.WHEP).sendTrack(audioTrack).sendTrack(videoTrack).build()
                .answer(CHROMIUM_WHEP);
        String sdp = answer.sdp();
        assertTrue(sessionLines(sdp).contains("a=group:BUNDLE 0 1"));
        List<String> audio = section(sdp, 0);
        assertTransportLines(audio, "0");
        assertTrue(audio.contains("a=sendonly"));
        assertTrue(audio.contains("a=msid:cs-stream cs-audio"));
        assertTrue(audio.contains("a=ssrc:5001 cname:cs-cname"));
        assertTrue(audio.contains("a=ssrc:5001 msid:cs-stream cs-audio"));
        assertFalse(String.join("\n", audio).contains("ssrc-group"));

        List<String> video = section(sdp, 1);
        // VP8 and its rtx first, then the best H.264 (42e01f) and its rtx: whatever the publisher sends fits.
        assertEquals("m=video 9 UDP/TLS/RTP/SAVPF 96 97 106 107", video.get(0));
        assertTrue(video.contains("a=sendonly"));
        assertTrue(video.contains("a=msid:cs-stream cs-video"));
        assertTrue(video.contains("a=ssrc-group:FID 6001 6002"));
        assertTrue(video.contains("a=ssrc:6001 cname:cs-cname"));
        assertTrue(video.contains("a=ssrc:6002 msid:cs-stream cs-video"));
        NegotiatedMedia v = answer.negotiated().media("1").orElseThrow();
        assertEquals(Direction.SENDONLY, v.direction());
        assertEquals(Optional.of(videoTrack), v.sendTrack());
        assertTrue(v.remoteSsrcs().isEmpty());
    }

    @Test
    void whepWithoutRtxSsrcDropsRtxAndWithoutTrackRejectsTheSection() throws SdpException {
        SdpAnswer answer = builder(SdpAnswerer.Mode.WHEP)
                .sendTrack(new SendTrack("video", 6001, 0, "s", "v", "c")).build().answer(CHROMIUM_WHEP);
        assertEquals(List.of("m=audio 0 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126", "c=IN IP4 0.0.0.0", "a=mid:0"),
                section(answer.sdp(), 0), "no audio track: rejected, in order");
        assertEquals("m=video 9 UDP/TLS/RTP/SAVPF 96 106", section(answer.sdp(), 1).get(0));
        assertTrue(sessionLines(answer.sdp()).contains("a=group:BUNDLE 1"));
        assertEquals(-1, answer.negotiated().media("1").orElseThrow().codecs().get(0).rtxPayloadType());
        assertEquals(1, answer.negotiated().media().size());
    }

    @Test
    void whepPutsThePreferredCodecFirstWithThePublishersH264Profile() throws SdpException {
        SdpAnswer answer = builder(SdpAnswerer.Mode.WHEP).sendTrack(new SendTrack("video", 6001, 0, "s", "v", "c"))
                .preferVideo("H264", "packetization-mode=1;profile-level-id=64001f").build().answer(CHROMIUM_WHEP);
        // High profile (112) as the publisher sends it, then VP8; never a packetization-mode=0 format.
        assertEquals("m=video 9 UDP/TLS/RTP/SAVPF 112 96", section(answer.sdp(), 1).get(0));
        List<NegotiatedCodec> codecs = answer.negotiated().media("1").orElseThrow().codecs();
        assertEquals(List.of(112, 96), codecs.stream().map(NegotiatedCodec::payloadType).toList());
        assertTrue(section(answer.sdp(), 1).contains(
                "a=fmtp:112 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=64001f"));
        // A profile the player does not offer: the same profile_idc/iop wins over the baseline ranks, else 42e01f.
        assertEquals(102, firstVideoPt(builder(SdpAnswerer.Mode.WHEP)
                .preferVideo("H264", "profile-level-id=42001e;packetization-mode=1")));
        assertEquals(106, firstVideoPt(builder(SdpAnswerer.Mode.WHEP)
                .preferVideo("H264", "profile-level-id=f4001f;packetization-mode=1")));
        assertEquals(96, firstVideoPt(builder(SdpAnswerer.Mode.WHEP).preferVideo("VP8", "")));
    }

    private static int firstVideoPt(SdpAnswerer.Builder b) throws SdpException {
        return b.sendTrack(new SendTrack("video", 6001, 0, "s", "v", "c")).build().answer(CHROMIUM_WHEP).negotiated()
                .media("1").orElseThrow().codecs().get(0).payloadType();
    }

    @Test
    void whipAnswersOneVideoCodecThePreferredOneWhenOffered() throws SdpException {
        List<NegotiatedCodec> vp8 = builder(SdpAnswerer.Mode.WHIP).build().answer(CHROMIUM_WHIP).negotiated()
                .media("1").orElseThrow().codecs();
        assertEquals(List.of("VP8"), vp8.stream().map(NegotiatedCodec::name).toList());
        List<NegotiatedCodec> h264 = builder(SdpAnswerer.Mode.WHIP).preferVideo("H264", "profile-level-id=42e01f")
                .build().answer(CHROMIUM_WHIP).negotiated().media("1").orElseThrow().codecs();
        assertEquals(1, h264.size());
        assertEquals("H264", h264.get(0).name());
        assertEquals(106, h264.get(0).payloadType());
        String vp8Only = CHROMIUM_WHIP.replaceAll("(?m)^a=rtpmap:(\\d+) H264/90000", "a=rtpmap:$1 XH264/90000");
        assertEquals("VP8", builder(SdpAnswerer.Mode.WHIP).preferVideo("H264", "").build().answer(vp8Only)
                .negotiated().media("1").orElseThrow().codecs().get(0).name(), "not offered: the usual order");
    }

    @Test
    void wrongDirectionForTheEndpointIsRejected() {
        SdpException whipGotPlayOffer = assertThrows(SdpException.class,
                () -> builder(SdpAnswerer.Mode.WHIP).build().answer(CHROMIUM_WHEP));
        assertEquals(0, whipGotPlayOffer.line());
        assertTrue(whipGotPlayOffer.reason().contains("receive"), whipGotPlayOffer.reason());
        SdpException whepGotPublishOffer = assertThrows(SdpException.class,
                () -> builder(SdpAnswerer.Mode.WHEP).sendTrack(new SendTrack("audio", 1, 0, "s", "a", "c"))
                        .build().answer(CHROMIUM_WHIP));
        assertTrue(whepGotPublishOffer.reason().contains("send"), whepGotPublishOffer.reason());
    }

    @Test
    void advertisesPassiveTcpCandidatesAfterTheUdpOnesForEveryAddressWithLowerPriorities() throws SdpException {
        String sdp = builder(SdpAnswerer.Mode.WHIP)
                .candidate(new InetSocketAddress("2001:db8::7", 8443))
                .tcpCandidate(new InetSocketAddress("203.0.113.5", 8443))
                .tcpCandidate(new InetSocketAddress("2001:db8::7", 8443))
                .build().answer(CHROMIUM_WHIP).sdp();
        for (int m = 0; m < 2; m++) {
            List<String> cands = section(sdp, m).stream().filter(l -> l.startsWith("a=candidate:")).toList();
            // UDP first; then RFC 6544 §4.5 passive TCP host candidates: own foundations (3, 4), component 1,
            // priority 90<<24 + ((4<<13) + 8191 - i)<<8 + 255, the port of the TCP listener.
            assertEquals(List.of(
                    "a=candidate:1 1 udp 2130706431 203.0.113.5 8443 typ host",
                    "a=candidate:2 1 udp 2130706430 2001:db8:0:0:0:0:0:7 8443 typ host",
                    "a=candidate:3 1 tcp 1520435199 203.0.113.5 8443 typ host tcptype passive",
                    "a=candidate:4 1 tcp 1520434943 2001:db8:0:0:0:0:0:7 8443 typ host tcptype passive"), cands);
            List<String> lines = section(sdp, m);
            assertEquals("a=end-of-candidates", lines.get(lines.size() - 1));
        }
    }

    @Test
    void answersWithoutTcpCandidatesWhenNoneAreGiven() throws SdpException {
        String sdp = builder(SdpAnswerer.Mode.WHIP).build().answer(CHROMIUM_WHIP).sdp();
        assertFalse(sdp.contains(" tcp "), sdp);
        assertThrows(IllegalArgumentException.class,
                () -> builder(SdpAnswerer.Mode.WHIP).tcpCandidate(new InetSocketAddress("203.0.113.5", 0)));
    }

    @Test
    void answersWeriftOfferAndRejectsTheDataChannelInPlace() throws SdpException {
        SdpAnswer answer = builder(SdpAnswerer.Mode.WHIP)
                .candidate(new InetSocketAddress("2001:db8::7", 8443)).build().answer(WERIFT);
        String sdp = answer.sdp();
        assertTrue(sessionLines(sdp).contains("a=group:BUNDLE 0 1"));
        assertEquals("m=audio 9 UDP/TLS/RTP/SAVPF 111", section(sdp, 0).get(0));
        assertEquals("m=video 9 UDP/TLS/RTP/SAVPF 96 97", section(sdp, 1).get(0));
        assertTrue(section(sdp, 1).contains("a=candidate:2 1 udp 2130706430 2001:db8:0:0:0:0:0:7 8443 typ host"));
        assertFalse(section(sdp, 0).contains("a=rtcp-rsize"), "not offered, not answered");
        assertEquals(List.of("m=application 0 UDP/DTLS/SCTP webrtc-datachannel", "c=IN IP4 0.0.0.0", "a=mid:2"),
                section(sdp, 2));
        NegotiatedSession n = answer.negotiated();
        assertEquals(List.of("0", "1"), n.media().stream().map(NegotiatedMedia::mid).toList());
        assertEquals(List.of(3456789012L), n.media("0").orElseThrow().remoteSsrcs());
        assertEquals(List.of("ccm fir", "nack", "nack pli", "goog-remb"),
                n.media("1").orElseThrow().codecs().get(0).rtcpFeedback());
        assertEquals(Map.of(SdpAnswerer.EXT_SDES_MID, 1, SdpAnswerer.EXT_ABS_SEND_TIME, 2),
                n.media("1").orElseThrow().extmapIds());
    }

    private static SdpException rejects(String offer) {
        return assertThrows(SdpException.class, () -> builder(SdpAnswerer.Mode.WHIP).build().answer(offer));
    }

    @Test
    void missingFingerprintIsRejectedAtTheFirstSection() {
        SdpException e = rejects(SdpFixtures.without(WERIFT, "a=fingerprint"));
        assertEquals(lineOf(WERIFT, "m=audio", 1), e.line());
        assertTrue(e.reason().contains("fingerprint"), e.reason());
    }

    @Test
    void missingIceUfragOrPwdIsRejected() {
        String noUfrag = SdpFixtures.without(WERIFT, "a=ice-ufrag");
        SdpException e = rejects(noUfrag);
        assertEquals(lineOf(noUfrag, "m=audio", 1), e.line());
        assertTrue(e.reason().contains("ice-ufrag"), e.reason());
        String noPwd = SdpFixtures.without(CHROMIUM_WHIP, "a=ice-pwd");
        assertTrue(rejects(noPwd).reason().contains("ice-pwd"));
        String shortPwd = WERIFT.replace("a=ice-pwd:0d9c6e1b2a3f4e5d6c7b8a9f", "a=ice-pwd:short");
        assertEquals(lineOf(WERIFT, "a=ice-pwd", 1), rejects(shortPwd).line());
    }

    @Test
    void setupPassiveIsRejectedAtItsLine() {
        String passive = CHROMIUM_WHIP.replaceFirst("a=setup:actpass", "a=setup:passive");
        SdpException e = rejects(passive);
        assertEquals(lineOf(CHROMIUM_WHIP, "a=setup:", 1), e.line());
        assertTrue(e.reason().contains("actpass or active"), e.reason());
        String holdconn = WERIFT.replace("a=setup:actpass\r\na=sendrecv\r\na=mid:1",
                "a=setup:holdconn\r\na=sendrecv\r\na=mid:1");
        assertEquals(lineOf(WERIFT, "a=setup:", 2), rejects(holdconn).line());
    }

    @Test
    void activeSetupIsAccepted() throws SdpException {
        String active = CHROMIUM_WHIP.replace("a=setup:actpass", "a=setup:active");
        assertEquals("active", builder(SdpAnswerer.Mode.WHIP).build().answer(active).negotiated().remoteSetup());
    }

    @Test
    void missingRtcpMuxIsRejectedAtTheSection() {
        String noMux = WERIFT.replace("a=rtcp-mux\r\na=ssrc-group", "a=ssrc-group");
        SdpException e = rejects(noMux);
        assertEquals(lineOf(noMux, "m=video", 1), e.line());
        assertTrue(e.reason().contains("rtcp-mux"), e.reason());
    }

    @Test
    void missingMidOrBundleIsRejected() {
        String noMid = WERIFT.replace("a=mid:1\r\n", "");
        assertEquals(lineOf(noMid, "m=video", 1), rejects(noMid).line());
        String noBundle = SdpFixtures.without(WERIFT, "a=group:BUNDLE");
        SdpException e = rejects(noBundle);
        assertTrue(e.reason().contains("BUNDLE"), e.reason());
    }

    @Test
    void offerWithOnlyUnsupportedCodecsIsRejected() {
        String onlyPcmu = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=group:BUNDLE a\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:a\r\na=sendonly\r\na=rtcp-mux\r\n"
                + "a=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\na=setup:actpass\r\n"
                + "a=fingerprint:sha-256 " + FP + "\r\na=rtpmap:0 PCMU/8000\r\n";
        SdpException e = rejects(onlyPcmu);
        assertEquals(0, e.line());
    }

    @Test
    void builderRefusesMissingRequiredValues() {
        assertThrows(IllegalStateException.class, () -> SdpAnswerer.builder(SdpAnswerer.Mode.WHIP).build());
        assertThrows(IllegalStateException.class, () -> SdpAnswerer.builder(SdpAnswerer.Mode.WHIP)
                .iceCredentials(UFRAG, PWD).fingerprint("sha-256", FP).build(), "no candidate");
        assertThrows(IllegalArgumentException.class,
                () -> builder(SdpAnswerer.Mode.WHIP).videoCodecs(List.of("VP9")));
        assertThrows(IllegalArgumentException.class, () -> new SendTrack("video", 0, 0, "s", "t", "c"));
        assertThrows(IllegalArgumentException.class, () -> new SendTrack("video", 1, 0, "s s", "t", "c"));
    }
}
