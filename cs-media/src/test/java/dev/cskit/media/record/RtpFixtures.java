/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.record;

import dev.cskit.media.rtp.RtpPacket;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Packetizes codec frames into plain RTP, the way WebRTC senders do, for the recorder tests. */
final class RtpFixtures {

    static final int OPUS_PT = 111;
    static final int VP8_PT = 96;
    static final int H264_PT = 102;

    private RtpFixtures() {
    }

    static byte[] rtp(int pt, boolean marker, int seq, long ts, long ssrc, byte[] payload) {
        byte[] b = new byte[RtpPacket.FIXED_HEADER_LENGTH + payload.length];
        int h = RtpPacket.writeHeader(b, 0, pt, marker, seq, ts, ssrc);
        System.arraycopy(payload, 0, b, h, payload.length);
        return Arrays.copyOf(b, h + payload.length);
    }

    /** RFC 7587 §4.2: one Opus packet per RTP packet, timestamps in 48 kHz samples. */
    static List<byte[]> opus(List<byte[]> packets, int firstSeq, long firstTs, long ssrc) {
        List<byte[]> out = new ArrayList<>();
        long ts = firstTs;
        int seq = firstSeq;
        for (byte[] p : packets) {
            out.add(rtp(OPUS_PT, false, seq++ & 0xFFFF, ts & 0xFFFFFFFFL, ssrc, p));
            ts += OpusPackets.samples(p, 0, p.length);
        }
        return out;
    }

    /**
     * RFC 7741 §4: each frame split into payloads of at most {@code mtu} bytes behind a 4-byte descriptor
     * (X=1, I=1 with a 15-bit PictureID, S on the first packet, PID 0), the marker on the last.
     */
    static List<List<byte[]>> vp8(List<byte[]> frames, int mtu, int firstSeq, long ssrc) {
        List<List<byte[]>> out = new ArrayList<>();
        int seq = firstSeq;
        for (int f = 0; f < frames.size(); f++) {
            byte[] frame = frames.get(f);
            List<byte[]> packets = new ArrayList<>();
            for (int at = 0; at < frame.length; at += mtu) {
                int n = Math.min(mtu, frame.length - at);
                byte[] payload = new byte[4 + n];
                payload[0] = (byte) (0x80 | (at == 0 ? 0x10 : 0)); // X, S
                payload[1] = (byte) 0x80;                         // I
                payload[2] = (byte) (0x80 | (f >> 8));            // M + PictureID high bits
                payload[3] = (byte) f;
                System.arraycopy(frame, at, payload, 4, n);
                packets.add(rtp(VP8_PT, at + n == frame.length, seq++ & 0xFFFF, 3000L * f, ssrc, payload));
            }
            out.add(packets);
        }
        return out;
    }

    /**
     * RFC 6184 §5.7.1/§5.8: per access unit, the small NAL units before the first slice aggregated in one STAP-A,
     * slices sent as single NAL unit packets when they fit {@code mtu}, else as FU-A fragments; the marker on
     * the last packet.
     */
    static List<List<byte[]>> h264(List<List<byte[]>> accessUnits, int mtu, int firstSeq, long ssrc) {
        List<List<byte[]>> out = new ArrayList<>();
        int seq = firstSeq;
        for (int a = 0; a < accessUnits.size(); a++) {
            List<byte[]> payloads = new ArrayList<>();
            ByteArrayOutputStream stap = new ByteArrayOutputStream();
            int nri = 0;
            for (byte[] nal : accessUnits.get(a)) {
                int type = nal[0] & 0x1F;
                if (type != 1 && type != 5 && nal.length + 2 + stap.size() + 1 <= mtu) {
                    if (stap.size() == 0) {
                        stap.write(0); // STAP-A header, filled below
                    }
                    stap.write(nal.length >> 8);
                    stap.write(nal.length);
                    stap.writeBytes(nal);
                    nri = Math.max(nri, nal[0] & 0x60);
                    continue;
                }
                if (stap.size() > 0) {
                    byte[] s = stap.toByteArray();
                    s[0] = (byte) (nri | 24);
                    payloads.add(s);
                    stap.reset();
                }
                if (nal.length <= mtu) {
                    payloads.add(nal);
                } else {
                    for (int at = 1; at < nal.length; at += mtu - 2) {
                        int n = Math.min(mtu - 2, nal.length - at);
                        byte[] fu = new byte[2 + n];
                        fu[0] = (byte) ((nal[0] & 0xE0) | 28);
                        fu[1] = (byte) ((at == 1 ? 0x80 : 0) | (at + n == nal.length ? 0x40 : 0) | (nal[0] & 0x1F));
                        System.arraycopy(nal, at, fu, 2, n);
                        payloads.add(fu);
                    }
                }
            }
            if (stap.size() > 0) {
                byte[] s = stap.toByteArray();
                s[0] = (byte) (nri | 24);
                payloads.add(s);
            }
            List<byte[]> packets = new ArrayList<>();
            for (int i = 0; i < payloads.size(); i++) {
                packets.add(rtp(H264_PT, i == payloads.size() - 1, seq++ & 0xFFFF, 3000L * a, ssrc, payloads.get(i)));
            }
            out.add(packets);
        }
        return out;
    }

    static List<byte[]> flat(List<List<byte[]>> frames) {
        List<byte[]> all = new ArrayList<>();
        frames.forEach(all::addAll);
        return all;
    }

    /** The Opus audio packets of an Ogg Opus file (the two header packets left out). */
    static List<byte[]> opusPacketsOf(byte[] ogg) {
        List<byte[]> p = MediaFiles.readOgg(ogg).packets();
        return p.subList(2, p.size());
    }

    /** The frames of an IVF file. */
    static List<byte[]> ivfFramesOf(byte[] ivf) {
        List<byte[]> frames = new ArrayList<>();
        for (MediaFiles.IvfFrame f : MediaFiles.readIvf(ivf).frames()) {
            frames.add(f.data());
        }
        return frames;
    }
}
