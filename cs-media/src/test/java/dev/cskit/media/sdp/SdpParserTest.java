/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.sdp;

import static dev.cskit.media.sdp.SdpFixtures.lineOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SdpParserTest {
    static final String CHROMIUM_WHIP = SdpFixtures.load("chromium-whip-offer.sdp");
    static final String WERIFT = SdpFixtures.load("werift-offer.sdp");

    @Test
    void parsesChromiumOffer() throws SdpException {
        SessionDescription d = SdpParser.parse(CHROMIUM_WHIP);
        assertEquals(List.of("0", "1"), d.bundleMids());
        assertEquals(2, d.media().size());
        MediaDescription audio = d.media().get(0);
        assertEquals("audio", audio.kind());
        assertEquals(8, audio.line());
        assertEquals(9, audio.port());
        assertEquals("UDP/TLS/RTP/SAVPF", audio.proto());
        assertEquals(Optional.of("0"), audio.mid());
        assertEquals(Direction.SENDONLY, audio.direction());
        assertTrue(audio.rtcpMux());
        assertEquals(8, audio.payloadFormats().size());
        PayloadFormat opus = audio.payloadFormat(111).orElseThrow();
        assertEquals("opus", opus.encoding());
        assertEquals(48000, opus.clockRate());
        assertEquals(2, opus.channels());
        assertEquals("minptime=10;useinbandfec=1", opus.fmtp());
        assertEquals("1", opus.fmtpParameter("useinbandfec"));
        assertEquals(List.of("transport-cc"), opus.rtcpFeedback());
        assertEquals(4, audio.extmaps().size());
        assertEquals(new Extmap(1, "", "urn:ietf:params:rtp-hdrext:ssrc-audio-level"), audio.extmaps().get(0));
        assertEquals("4TOk42mSjXCkVIa6", audio.ssrcs().get(1001L).get("cname"));
        assertEquals("Kf3n", audio.attribute("ice-ufrag").orElseThrow().value());

        MediaDescription video = d.media().get(1);
        assertEquals(25, video.payloadFormats().size());
        assertEquals(List.of("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"),
                video.payloadFormat(96).orElseThrow().rtcpFeedback());
        assertEquals("96", video.payloadFormat(97).orElseThrow().fmtpParameter("apt"));
        assertEquals(11, video.extmaps().size());
        assertEquals(List.of(new SsrcGroup("FID", List.of(2002L, 2003L))), video.ssrcGroups());
        assertEquals(Map.of("cname", "4TOk42mSjXCkVIa6",
                "msid", "6f1d3c0e-8a2b-4c6d-9e0f-1a2b3c4d5e6f 1c2d3e4f-5061-7283-94a5-b6c7d8e9f0a1"),
                video.ssrcs().get(2003L));
        assertEquals(Optional.of("6f1d3c0e-8a2b-4c6d-9e0f-1a2b3c4d5e6f 1c2d3e4f-5061-7283-94a5-b6c7d8e9f0a1"),
                video.msid());
    }

    @Test
    void parsesWeriftOfferWithDataChannelAndCandidates() throws SdpException {
        SessionDescription d = SdpParser.parse(WERIFT.replace("\r\n", "\n")); // LF-only also accepted
        assertEquals(3, d.media().size());
        assertEquals(Direction.SENDRECV, d.media().get(0).direction());
        assertEquals(List.of("0 1 udp 2130706431 192.168.1.30 53000 typ host"), d.media().get(0).candidates());
        MediaDescription app = d.media().get(2);
        assertEquals("application", app.kind());
        assertEquals(List.of("webrtc-datachannel"), app.formats());
        assertTrue(app.payloadFormats().isEmpty());
    }

    private static SdpException rejects(String sdp) {
        return assertThrows(SdpException.class, () -> SdpParser.parse(sdp));
    }

    @Test
    void garbageLineIsRejectedWithItsLineNumber() {
        List<String> lines = SdpFixtures.lines(WERIFT);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            if (i == 4) {
                sb.append("this is not sdp\r\n");
            }
            sb.append(lines.get(i)).append("\r\n");
        }
        SdpException e = rejects(sb.toString());
        assertEquals(5, e.line());
        assertTrue(e.getMessage().contains("line 5"), e.getMessage());
    }

    @Test
    void malformedAttributesAreRejectedWithTheirLineNumbers() {
        String badRtpmap = WERIFT.replace("a=rtpmap:96 VP8/90000", "a=rtpmap:96 VP8");
        assertEquals(lineOf(WERIFT, "a=rtpmap:96", 1), rejects(badRtpmap).line());
        String badPt = WERIFT.replace("a=rtpmap:111 opus", "a=rtpmap:300 opus");
        assertEquals(lineOf(WERIFT, "a=rtpmap:111", 1), rejects(badPt).line());
        String badExtmap = WERIFT.replace("a=extmap:2 http", "a=extmap:0 http");
        assertEquals(lineOf(WERIFT, "a=extmap:2", 1), rejects(badExtmap).line());
        String dupExtmap = WERIFT.replace("a=extmap:2 http", "a=extmap:1 http");
        assertEquals(lineOf(WERIFT, "a=extmap:2", 1), rejects(dupExtmap).line());
        String badSetup = WERIFT.replaceFirst("a=setup:actpass", "a=setup:sometimes");
        assertEquals(lineOf(WERIFT, "a=setup:", 1), rejects(badSetup).line());
        String badFingerprint = WERIFT.replaceFirst("a=fingerprint:sha-256 0A:", "a=fingerprint:sha-256 ZZ:");
        assertEquals(lineOf(WERIFT, "a=fingerprint:", 1), rejects(badFingerprint).line());
        String badSsrc = WERIFT.replace("a=ssrc:3456789012 cname", "a=ssrc:99999999999 cname");
        assertEquals(lineOf(WERIFT, "a=ssrc:3456789012 cname", 1), rejects(badSsrc).line());
        String badPort = WERIFT.replace("m=video 9 ", "m=video 70000 ");
        assertEquals(lineOf(WERIFT, "m=video", 1), rejects(badPort).line());
        String shortMline = WERIFT.replace("m=audio 9 UDP/TLS/RTP/SAVPF 111", "m=audio 9");
        assertEquals(lineOf(WERIFT, "m=audio", 1), rejects(shortMline).line());
    }

    @Test
    void structureErrorsAreRejected() {
        assertEquals(1, rejects("o=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\n").line());
        assertEquals(0, rejects("").line());
        assertEquals(0, rejects("v=0\r\n").line());
        assertEquals(2, rejects("v=0\r\nm=audio 9 RTP/AVP 0\r\n").line(), "m= before o= and s=");
        assertEquals(3, rejects("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\n\r\ns=-\r\n").line(), "empty line");
        assertEquals(2, rejects("v=0\r\no=- 1 IN IP4\r\ns=-\r\n").line(), "short o=");
    }

    @Test
    void oversizeDescriptionIsRejected() {
        String big = WERIFT + "a=x:" + "y".repeat(SdpParser.MAX_LENGTH) + "\r\n";
        SdpException e = rejects(big);
        assertEquals(0, e.line());
        assertTrue(e.reason().contains("longer than"), e.reason());
    }

    @Test
    void tooManyMediaSectionsAreRejectedAtTheFirstExtraOne() {
        StringBuilder sb = new StringBuilder("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n");
        for (int i = 0; i <= SdpParser.MAX_MEDIA; i++) {
            sb.append("m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:").append(i).append("\r\n");
        }
        SdpException e = rejects(sb.toString());
        assertEquals(4 + 2 * SdpParser.MAX_MEDIA + 1, e.line());
    }
}
