/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.sdp;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cskit.media.fuzz.ByteFuzz;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, acceptance 5: {@link SdpParser} and {@link SdpAnswerer} (WHIP and WHEP) on {@link ByteFuzz#cases()}
 * seeded mutations of the Chromium and werift offers: lines dropped, doubled, swapped and cut; values replaced
 * by odd ones (huge numbers, negative ports, unknown codecs, empty values, unicode, NUL); line ends changed;
 * bytes flipped. The only exception that may leave them is {@link SdpException}; an offer that parses is either
 * answered or refused with it.
 */
class SdpFuzzTest {

    private static final long SEED = ByteFuzz.seed(8866L);
    private static final String[] ODD_LINES = {
        "a=rtpmap:96 VP8/90000", "a=rtpmap:999 opus/48000/2", "a=rtpmap:111", "a=rtpmap:-1 x/0", "a=fmtp:96",
        "a=fmtp:96 apt=", "a=fmtp:97 apt=96000000000", "a=rtcp-fb:* nack", "a=extmap:0 x", "a=extmap:99999999999 x",
        "a=extmap:1/sendonly urn:ietf:params:rtp-hdrext:sdes:mid", "a=ssrc-group:FID", "a=ssrc-group:FID 1",
        "a=ssrc:4294967296 cname:x", "a=ssrc:abc msid:x", "a=mid:", "a=mid:" + "m".repeat(300), "a=setup:",
        "a=setup:passive", "a=fingerprint:sha-256", "a=fingerprint:md5 00", "a=ice-ufrag:", "a=ice-pwd:x",
        "a=group:BUNDLE", "a=group:BUNDLE 7", "m=audio 9 UDP/TLS/RTP/SAVPF", "m=video -1 UDP/TLS/RTP/SAVPF 96",
        "m=video 70000 RTP/AVP 96", "m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "m=", "c=IN IP6 ::1",
        "c=", "o=", "v=1", "v=0", "s=", "t=x y", "a=", "a=:", "=", "x=unknown", "a=sendrecv", "a=inactive",
        "a=recvonly", "a=rtcp-mux", "a=\u0000", "a=mid:\uD83D\uDE00", "a=rtpmap:96 H264/90000",
        "a=fmtp:96 profile-level-id=42e01f;packetization-mode=1", "a=fmtp:96 profile-level-id=zz",
        "a=candidate:1 1 udp 2122260223 192.0.2.1 54400 typ host", "a=end-of-candidates",
    };

    @Test
    void mutatedOffersOnlyEverThrowSdpException() {
        List<String> offers = List.of(SdpAnswererTest.CHROMIUM_WHIP, SdpAnswererTest.CHROMIUM_WHEP,
                SdpAnswererTest.WERIFT);
        SdpAnswerer whip = SdpAnswererTest.builder(SdpAnswerer.Mode.WHIP).build();
        SdpAnswerer whep = SdpAnswererTest.builder(SdpAnswerer.Mode.WHEP)
                .sendTrack(new SendTrack("audio", 5001, 0, "cs-stream", "cs-audio", "cs-cname"))
                .sendTrack(new SendTrack("video", 6001, 6002, "cs-stream", "cs-video", "cs-cname")).build();
        List<byte[]> seeds = new ArrayList<>();
        offers.forEach(o -> seeds.add(o.getBytes(StandardCharsets.UTF_8)));
        ByteFuzz bytes = new ByteFuzz(SEED, seeds);
        Random rnd = bytes.random();
        int parsed = 0;
        int answered = 0;
        int cases = ByteFuzz.cases();
        for (int i = 0; i < cases; i++) {
            String offer = rnd.nextInt(4) == 0 ? new String(bytes.next(), StandardCharsets.UTF_8)
                    : mutateLines(offers.get(rnd.nextInt(offers.size())), rnd);
            try {
                SessionDescription d;
                try {
                    d = SdpParser.parse(offer);
                } catch (SdpException refused) {
                    continue;
                }
                parsed++;
                SdpAnswerer a = i % 2 == 0 ? whip : whep; // both modes, a case each
                try {
                    SdpAnswer answer = a.answer(d);
                    assertTrue(!answer.toString().isEmpty());
                    answered++;
                } catch (SdpException refused) {
                    // the documented refusal
                }
            } catch (RuntimeException | AssertionError e) {
                fail(e + " on seed " + SEED + ", case " + i + ", offer:\n" + offer, e);
            }
        }
        System.out.println("SdpFuzzTest: " + cases + " cases, seed " + SEED + ", " + parsed + " parsed, "
                + answered + " answers");
        assertTrue(parsed > cases / 10 && answered > cases / 40, "the fuzz is too blunt: " + parsed + "/" + answered);
    }

    private static String mutateLines(String offer, Random rnd) {
        List<String> lines = new ArrayList<>(Arrays.asList(offer.split("\r\n", -1)));
        int n = 1 + rnd.nextInt(3);
        for (int k = 0; k < n && !lines.isEmpty(); k++) {
            int at = rnd.nextInt(lines.size());
            switch (rnd.nextInt(9)) {
                case 0 -> lines.remove(at);
                case 1 -> lines.add(at, lines.get(rnd.nextInt(lines.size())));
                case 2 -> lines.add(at, ODD_LINES[rnd.nextInt(ODD_LINES.length)]);
                case 3 -> lines.set(at, ODD_LINES[rnd.nextInt(ODD_LINES.length)]);
                case 4 -> lines.set(at, lines.get(at).substring(0, rnd.nextInt(lines.get(at).length() + 1)));
                case 5 -> lines.set(at, lines.get(at).replaceAll("\\d+", pick(rnd, "0", "-1", "65536",
                        "99999999999999999999", "4294967296", "")));
                case 6 -> {
                    int other = rnd.nextInt(lines.size());
                    String t = lines.get(at);
                    lines.set(at, lines.get(other));
                    lines.set(other, t);
                }
                case 7 -> lines.set(at, lines.get(at) + pick(rnd, " ", "\u0000", "\uFFFD", "\uD800", " x".repeat(50),
                        ":", ";", "=", "/"));
                default -> lines.set(at, lines.get(at).replace(' ', rnd.nextBoolean() ? '\t' : '\u00A0'));
            }
        }
        String eol = switch (rnd.nextInt(8)) {
            case 0 -> "\n";
            case 1 -> "\r";
            default -> "\r\n";
        };
        return String.join(eol, lines);
    }

    private static String pick(Random rnd, String... options) {
        return options[rnd.nextInt(options.length)];
    }
}
