/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.netty.stats.IceTcpCounter;
import dev.cskit.netty.stats.IceTcpCounters;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An ICE-TCP connection's pipeline on an {@link EmbeddedChannel} (the build runs Netty's leak detector at paranoid,
 * and each test also checks every buffer it wrote was released): RFC 4571 frames reassembled and handed over, the
 * limits of a pending connection (STUN only, a check deadline, a refusal when the sink is full), the idle timeout, a
 * length prefix above the largest frame, empty frames; each close counted once by its reason.
 */
class IceTcpConnectionTest {

    static final InetSocketAddress REMOTE = new InetSocketAddress("198.51.100.7", 51000);
    static final int MAX = 2048;
    static final Duration CHECK = Duration.ofSeconds(5);
    static final Duration IDLE = Duration.ofSeconds(30);
    // A STUN Binding request header (RFC 5389 §6): type 0x0001, length 0, magic cookie, transaction id.
    static final byte[] STUN = HexFormat.of().parseHex("000100002112a442" + "0102030405060708090a0b0c");
    // An RTP-looking packet (RFC 7983: first byte 128..191).
    static final byte[] RTP = HexFormat.of().parseHex("80600001000000010000000268656c6c6f");

    final IceTcpCounters counters = new IceTcpCounters();
    final List<ByteBuf> written = new ArrayList<>();

    /** What the listener would see. */
    static final class Sink implements IceTcpConnection.Sink {
        boolean accept = true;
        final List<byte[]> frames = new ArrayList<>();
        int opened;
        Boolean closedChecked;

        @Override
        public boolean opened(IceTcpConnection connection) {
            opened++;
            return accept;
        }

        @Override
        public void frame(IceTcpConnection connection, ByteBuf frame) {
            byte[] b = new byte[frame.readableBytes()];
            frame.getBytes(frame.readerIndex(), b);
            frames.add(b);
        }

        @Override
        public void closed(IceTcpConnection connection, boolean wasChecked) {
            closedChecked = wasChecked;
        }
    }

    final Sink sink = new Sink();
    IceTcpConnection connection;

    EmbeddedChannel channel() throws Exception {
        connection = new IceTcpConnection(sink, counters, CHECK);
        ChannelHandler[] handlers = {new Rfc4571FrameDecoder(MAX, counters),
                new IdleStateHandler(IDLE.toNanos(), 0, 0, TimeUnit.NANOSECONDS), connection};
        EmbeddedChannel ch = new EmbeddedChannel(DefaultChannelId.newInstance(), false, false, handlers) {
            @Override
            protected SocketAddress remoteAddress0() {
                return REMOTE;
            }
        };
        ch.register();
        ch.freezeTime();
        return ch;
    }

    /** Writes {@code bytes} inbound as one read, remembering the buffer to check it was released. */
    void read(EmbeddedChannel ch, byte[] bytes) {
        ByteBuf b = Unpooled.wrappedBuffer(bytes);
        written.add(b);
        ch.writeInbound(b);
    }

    static byte[] frame(byte[] payload) {
        byte[] out = new byte[2 + payload.length];
        out[0] = (byte) (payload.length >>> 8);
        out[1] = (byte) payload.length;
        System.arraycopy(payload, 0, out, 2, payload.length);
        return out;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    @AfterEach
    void everyBufferReleased() {
        for (ByteBuf b : written) {
            assertEquals(0, b.refCnt(), "an inbound buffer was not released");
        }
    }

    @Test
    void framesInOneReadAndAcrossReadsAreHandedOverWhole() throws Exception {
        EmbeddedChannel ch = channel();
        byte[] two = concat(frame(STUN), frame(STUN));
        byte[] third = frame(STUN);
        // Two frames in one read, then a third split inside its length prefix and inside its payload.
        read(ch, concat(two, new byte[] {third[0]}));
        read(ch, java.util.Arrays.copyOfRange(third, 1, 10));
        read(ch, java.util.Arrays.copyOfRange(third, 10, third.length));
        assertEquals(3, sink.frames.size());
        for (byte[] f : sink.frames) {
            assertArrayEquals(STUN, f);
        }
        assertTrue(ch.isActive());
        assertEquals(1, counters.get(IceTcpCounter.ACCEPTED));
        ch.finishAndReleaseAll();
    }

    @Test
    void aPendingConnectionThatSendsAnythingButStunIsClosed() throws Exception {
        EmbeddedChannel ch = channel();
        read(ch, frame(RTP));
        assertFalse(ch.isActive());
        assertTrue(sink.frames.isEmpty());
        assertEquals(1, counters.get(IceTcpCounter.NOT_STUN));
        assertEquals(Boolean.FALSE, sink.closedChecked);
        assertEquals(0, counters.get(IceTcpCounter.CLOSED), "counted once, by its reason");
        ch.finishAndReleaseAll();
    }

    @Test
    void aCheckedConnectionCarriesEveryKindOfPacket() throws Exception {
        EmbeddedChannel ch = channel();
        read(ch, frame(STUN));
        connection.markChecked();
        read(ch, frame(RTP));
        assertEquals(2, sink.frames.size());
        assertArrayEquals(RTP, sink.frames.get(1));
        ch.close();
        assertEquals(Boolean.TRUE, sink.closedChecked);
        assertEquals(1, counters.get(IceTcpCounter.CLOSED));
        ch.finishAndReleaseAll();
    }

    @Test
    void aLengthPrefixAboveTheLargestFrameClosesAtOnceAndDiscardsTheRest() throws Exception {
        EmbeddedChannel ch = channel();
        // A 64 KiB length prefix (0xFFFF), then bytes that would be a valid frame: never handed over.
        read(ch, concat(new byte[] {(byte) 0xFF, (byte) 0xFF}, new byte[100], frame(STUN)));
        assertFalse(ch.isActive());
        assertTrue(sink.frames.isEmpty());
        assertEquals(1, counters.get(IceTcpCounter.FRAME_TOO_LARGE));
        assertEquals(0, counters.get(IceTcpCounter.CLOSED));
        ch.finishAndReleaseAll();
    }

    @Test
    void theLargestFrameIsAcceptedAndOneByteMoreIsNot() throws Exception {
        EmbeddedChannel ok = channel();
        byte[] big = new byte[MAX];
        System.arraycopy(STUN, 0, big, 0, STUN.length);
        read(ok, frame(big));
        assertEquals(1, sink.frames.size());
        assertTrue(ok.isActive());
        ok.finishAndReleaseAll();

        EmbeddedChannel tooBig = channel();
        read(tooBig, new byte[] {(byte) ((MAX + 1) >>> 8), (byte) (MAX + 1)}); // the prefix alone is enough
        assertFalse(tooBig.isActive());
        assertEquals(1, counters.get(IceTcpCounter.FRAME_TOO_LARGE));
        tooBig.finishAndReleaseAll();
    }

    @Test
    void emptyFramesAreDroppedAndCountedAndTheConnectionStays() throws Exception {
        EmbeddedChannel ch = channel();
        read(ch, concat(new byte[] {0, 0}, frame(STUN), new byte[] {0, 0}));
        assertEquals(1, sink.frames.size());
        assertEquals(2, counters.get(IceTcpCounter.EMPTY_FRAME));
        assertTrue(ch.isActive());
        ch.finishAndReleaseAll();
    }

    @Test
    void aConnectionWithoutAPassedCheckIsClosedAtTheCheckTimeout() throws Exception {
        EmbeddedChannel ch = channel();
        read(ch, frame(STUN)); // STUN, but the engine never says it passed (wrong ufrag, say)
        ch.advanceTimeBy(CHECK.toMillis() - 1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertTrue(ch.isActive());
        ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertFalse(ch.isActive());
        assertEquals(1, counters.get(IceTcpCounter.CHECK_TIMEOUT));
        ch.finishAndReleaseAll();
    }

    @Test
    void aSilentConnectionIsClosedAtTheCheckTimeout() throws Exception {
        EmbeddedChannel ch = channel();
        ch.advanceTimeBy(CHECK.toMillis(), TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertFalse(ch.isActive());
        assertEquals(1, counters.get(IceTcpCounter.CHECK_TIMEOUT));
        ch.finishAndReleaseAll();
    }

    @Test
    void aCheckedConnectionOutlivesTheCheckTimeoutAndIsClosedWhenIdleForTheConsentTimeout() throws Exception {
        EmbeddedChannel ch = channel();
        read(ch, frame(STUN));
        connection.markChecked();
        ch.advanceTimeBy(IDLE.toMillis() - 1000, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertTrue(ch.isActive());
        read(ch, frame(RTP)); // activity resets the idle timer
        ch.advanceTimeBy(IDLE.toMillis() - 1000, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertTrue(ch.isActive());
        ch.advanceTimeBy(1000, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertFalse(ch.isActive());
        assertEquals(1, counters.get(IceTcpCounter.IDLE));
        assertEquals(0, counters.get(IceTcpCounter.CHECK_TIMEOUT));
        ch.finishAndReleaseAll();
    }

    @Test
    void aConnectionTheSinkRefusesIsClosedAndNeverReported() throws Exception {
        sink.accept = false;
        EmbeddedChannel ch = channel();
        assertFalse(ch.isActive());
        assertEquals(1, counters.get(IceTcpCounter.REFUSED));
        assertNull(sink.closedChecked, "a refused connection was never open for the sink");
        ch.finishAndReleaseAll();
    }

    @Test
    void sendWritesOneLengthPrefixedFrameAndDropsOnceClosed() throws Exception {
        EmbeddedChannel ch = channel();
        assertTrue(connection.send(RTP, 0, RTP.length));
        ByteBuf out = ch.readOutbound();
        try {
            byte[] b = new byte[out.readableBytes()];
            out.readBytes(b);
            assertArrayEquals(frame(RTP), b);
        } finally {
            out.release();
        }
        ch.close();
        assertFalse(connection.send(RTP, 0, RTP.length));
        assertEquals(1, counters.get(IceTcpCounter.SEND_DROPPED));
        ch.finishAndReleaseAll();
    }
}
