/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.bench;

import dev.cskit.media.forward.CodecSpec;
import dev.cskit.media.forward.MediaKind;
import dev.cskit.media.forward.TrackSpec;
import dev.cskit.media.rtp.RtpPacket;
import java.util.List;
import java.util.Map;

/**
 * The packets and negotiations every packet-path benchmark shares: a VP8 publisher (PT 96, extmap mid=1,
 * abs-send-time=2, transport-cc=3) forwarded to a player that negotiated PT 100, mid=4, abs-send-time=5, no
 * transport-cc, with NACK (so the retransmission cache copy is on the path).
 */
final class PacketFixtures {
    static final String ABS_SEND_TIME = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
    static final String TRANSPORT_CC = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
    static final long PUBLISHER_SSRC = 0x0A0B0C0DL;
    static final long PLAYER_SSRC = 0x11223344L;

    static final TrackSpec PUBLISHER = new TrackSpec("0", MediaKind.VIDEO,
            List.of(new CodecSpec(96, "VP8", 90000, 1, "")),
            Map.of(TrackSpec.SDES_MID, 1, ABS_SEND_TIME, 2, TRANSPORT_CC, 3), true, PUBLISHER_SSRC);
    static final TrackSpec PLAYER = new TrackSpec("1", MediaKind.VIDEO,
            List.of(new CodecSpec(100, "VP8", 90000, 1, "")),
            Map.of(TrackSpec.SDES_MID, 4, ABS_SEND_TIME, 5), true, PLAYER_SSRC);

    private PacketFixtures() {
    }

    /**
     * A plain RTP packet of {@code size} bytes in total: 12-byte header, a one-byte-form extension block
     * (RFC 8285 §4.2: mid "0", abs-send-time, transport-cc; 16 bytes with its 4-byte header) and a payload of
     * a repeating pattern.
     */
    static byte[] rtp(int size, int seq) {
        byte[] b = new byte[size];
        RtpPacket.writeHeader(b, 0, 96, false, seq, 90000L * 7, PUBLISHER_SSRC);
        b[0] |= 0x10;
        int p = 12;
        b[p++] = (byte) 0xBE;
        b[p++] = (byte) 0xDE;
        b[p++] = 0;
        b[p++] = 3; // 3 words
        b[p++] = 0x10; // id 1 (mid), 1 byte
        b[p++] = '0';
        b[p++] = 0x22; // id 2 (abs-send-time), 3 bytes
        b[p++] = 0x12;
        b[p++] = 0x34;
        b[p++] = 0x56;
        b[p++] = 0x31; // id 3 (transport-cc), 2 bytes
        b[p++] = 0x00;
        b[p++] = (byte) seq;
        p += 3; // padding to the word
        for (int i = p; i < size; i++) {
            b[i] = (byte) (i * 31);
        }
        return b;
    }

    static void setSequence(byte[] b, int seq) {
        b[2] = (byte) (seq >>> 8);
        b[3] = (byte) seq;
    }
}
