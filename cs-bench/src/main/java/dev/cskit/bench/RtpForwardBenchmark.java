/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.bench;

import dev.cskit.media.forward.OutboundStream;
import dev.cskit.media.rtp.RtpPacket;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Plain RTP forwarding: {@link RtpPacket#wrap} of the publisher's packet, then {@link OutboundStream#rewrite}
 * into the player's negotiation (PT, SSRC, sequence, timestamp, extension ids; NACK cache on). The sequence
 * number advances every packet as in a live stream. Single-threaded, as the forwarding thread owns a stream.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class RtpForwardBenchmark {

    @Param({"200", "1200"})
    public int size;

    byte[] in;
    byte[] out = new byte[1500];
    RtpPacket packet = new RtpPacket();
    OutboundStream stream;
    int seq;
    long nanos;

    @Setup
    public void setUp() {
        in = PacketFixtures.rtp(size, 0);
        stream = new OutboundStream(PacketFixtures.PLAYER);
        if (forward() < size - 16) { // transport-cc is dropped: the output is 4 bytes shorter
            throw new IllegalStateException("rewrite failed");
        }
    }

    @Benchmark
    public int forward() {
        seq = (seq + 1) & 0xFFFF;
        PacketFixtures.setSequence(in, seq);
        nanos += 20_000_000L;
        if (!packet.wrap(in, 0, in.length)) {
            return -1;
        }
        return stream.rewrite(packet, PacketFixtures.PUBLISHER, out, 0, nanos);
    }
}
