/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** RFC 8840 §9 trickle fragments as a WHIP/WHEP client PATCHes them (RFC 9725 §4.3). */
class SdpFragmentTest {

    private static final String UFRAG = "EsAw";
    private static final String PWD = "P2uYro0UCOQ4zxjKXaWCBui1";

    @Test
    void parsesTheRfc9725TrickleExample() throws SdpException {
        // RFC 9725 §4.3.1's example, a media-level fragment of the bundle's first m= line.
        SdpFragment f = SdpFragment.parse("a=ice-options:trickle ice2\r\n"
                + "a=group:BUNDLE 0 1\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
                + "a=mid:0\r\n"
                + "a=ice-ufrag:" + UFRAG + "\r\n"
                + "a=ice-pwd:" + PWD + "\r\n"
                + "a=candidate:1387637174 1 udp 2122260223 192.0.2.1 61764 typ host generation 0 ufrag EsAw "
                + "network-id 1\r\n"
                + "a=candidate:3471623853 1 udp 2122194687 198.51.100.2 61765 typ host generation 0\r\n"
                + "a=candidate:473322822 1 tcp 1518280447 192.0.2.1 9 typ host tcptype active generation 0\r\n"
                + "a=end-of-candidates\r\n");
        assertEquals(Optional.of(UFRAG), f.ufrag());
        assertEquals(Optional.of(PWD), f.pwd());
        assertEquals(List.of("m=audio 9 UDP/TLS/RTP/SAVPF 111"), f.mediaLines());
        assertEquals(List.of("0"), f.mids());
        assertEquals(3, f.candidates().size());
        assertTrue(f.candidates().get(0).startsWith("candidate:1387637174 1 udp"));
        assertTrue(f.endOfCandidates());
        assertTrue(f.hasCredentials());
    }

    @Test
    void acceptsSessionLevelCredentialsLfLineEndsAndACandidateOnlyFragment() throws SdpException {
        SdpFragment f = SdpFragment.parse("a=ice-ufrag:" + UFRAG + "\na=ice-pwd:" + PWD + "\n");
        assertEquals(Optional.of(UFRAG), f.ufrag());
        assertEquals(List.of(), f.candidates());
        assertFalse(f.endOfCandidates());
        SdpFragment end = SdpFragment.parse("a=end-of-candidates");
        assertFalse(end.hasCredentials());
        assertTrue(end.endOfCandidates());
    }

    private static void rejects(String fragment, int line, String reason) {
        SdpException e = assertThrows(SdpException.class, () -> SdpFragment.parse(fragment), fragment);
        assertEquals(line, e.line(), e.getMessage());
        assertTrue(e.reason().contains(reason), e.getMessage());
    }

    @Test
    void rejectsMalformedFragmentsNamingTheLine() {
        rejects("", 0, "empty");
        rejects("\r\n\r\n", 0, "empty");
        rejects("garbage", 1, "not an SDP line");
        rejects("v=0\r\no=- 1 1 IN IP4 0.0.0.0", 1, "only a= and m= lines");
        rejects("a=fingerprint:sha-256 AB:CD", 1, "does not belong");
        rejects("a=ice-ufrag:" + UFRAG, 1, "come together");
        rejects("a=ice-pwd:" + PWD, 1, "come together");
        rejects("a=ice-ufrag:ab\r\na=ice-pwd:" + PWD, 1, "ice-ufrag must be 4..256");
        rejects("a=ice-ufrag:" + UFRAG + "\r\na=ice-pwd:short", 2, "ice-pwd must be 22..256");
        rejects("a=ice-ufrag:bad_ufrag!\r\na=ice-pwd:" + PWD, 1, "ice-chars");
        rejects("a=ice-ufrag:" + UFRAG + "\r\na=ice-ufrag:" + UFRAG, 2, "twice");
        rejects("a=candidate:1 1 udp 2122260223 192.0.2.1 61764", 1, "foundation component");
        rejects("a=candidate:1 1 udp nope 192.0.2.1 61764 typ host", 1, "bad component, priority or port");
        rejects("a=candidate:1 1 udp 1 192.0.2.1 70000 typ host", 1, "bad component, priority or port");
        rejects("a=candidate:1 1 udp 1 <script> 1 typ host", 1, "bad address");
        rejects("m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=candidate:1 1 udp 1 192.0.2.1 1 typ host", 1, "needs an a=mid");
        rejects("a=mid:0", 1, "must follow its m= line");
        rejects("m=audio 9\r\na=mid:0", 1, "m= needs");
        rejects("a=end-of-candidates:now", 1, "takes no value");
        rejects("m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=ice-ufrag:" + UFRAG + "\r\na=ice-pwd:" + PWD
                + "\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:1\r\na=ice-ufrag:othr\r\na=ice-pwd:" + PWD, 5,
                "same ICE credentials");
        rejects("a=candidate:" + "1 ".repeat(9000), 0, "exceeds");
    }

    @Test
    void theRestartAnswerCarriesTheNewCredentialsAndCandidatesUnderEachRequestedSection() throws SdpException {
        SdpFragment f = SdpFragment.parse("a=ice-ufrag:" + UFRAG + "\r\na=ice-pwd:" + PWD
                + "\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n");
        List<String> candidates = SdpAnswerer.candidateAttributes(List.of(new InetSocketAddress("192.0.2.10", 3478)),
                List.of(new InetSocketAddress("192.0.2.10", 3478)));
        assertEquals("a=ice-lite\r\na=ice-ufrag:srvNEW1\r\na=ice-pwd:serverPasswordOf22chars\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n"
                + "a=candidate:1 1 udp 2130706431 192.0.2.10 3478 typ host\r\na=" + candidates.get(1)
                + "\r\na=end-of-candidates\r\n",
                f.restartAnswer("srvNEW1", "serverPasswordOf22chars", candidates));
        // An ICE-TCP client keeps its fallback after a restart: the passive TCP candidate comes again.
        assertTrue(candidates.get(1).startsWith("candidate:2 1 tcp ")
                && candidates.get(1).endsWith(" 192.0.2.10 3478 typ host tcptype passive"), candidates.get(1));
        // The answer is itself a valid fragment.
        assertEquals(Optional.of("srvNEW1"), SdpFragment.parse(f.restartAnswer("srvNEW1", "serverPasswordOf22chars",
                candidates).replace("a=ice-lite\r\n", "")).ufrag());
    }
}
