/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty.internal;

import dev.cskit.netty.stats.IceTcpCounter;
import dev.cskit.netty.stats.IceTcpCounters;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits an ICE-TCP stream into its packets, RFC 4571 §2 framing: each packet is preceded by its length as a 16-bit
 * unsigned big-endian integer (RFC 6544 §3 uses it for STUN, DTLS and SRTP alike). Emits each packet as a retained
 * slice ({@code ByteBuf}, released by the next handler).
 *
 * <p>Bounded: at a length above {@code maxFrame} the decoder stops, discards what it holds and everything after, and
 * fires {@link #TOO_LARGE} (the connection's handler closes it), so at most one read plus one partial frame of
 * {@code 2 + maxFrame} bytes is ever held. A length of 0 carries no packet: dropped and counted
 * ({@code empty_frame}). Nothing is logged.
 *
 * <p>Not sharable: one per connection, on its event loop.
 */
public final class Rfc4571FrameDecoder extends ByteToMessageDecoder {

    /** The user event fired once a length prefix is above the largest frame accepted. */
    public static final Object TOO_LARGE = new Object() {
        @Override
        public String toString() {
            return "RFC 4571 frame too large";
        }
    };

    private final int maxFrame;
    private final IceTcpCounters counters;
    private boolean failed;

    /**
     * @param maxFrame the largest packet accepted (at most 65535, the largest a 16-bit length names)
     * @param counters where dropped frames are counted
     */
    public Rfc4571FrameDecoder(int maxFrame, IceTcpCounters counters) {
        if (maxFrame < 1 || maxFrame > 0xFFFF) {
            throw new IllegalArgumentException("maxFrame must be 1..65535, was " + maxFrame);
        }
        this.maxFrame = maxFrame;
        this.counters = counters;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        while (in.readableBytes() >= 2) {
            int len = in.getUnsignedShort(in.readerIndex());
            if (len > maxFrame) {
                failed = true;
                in.skipBytes(in.readableBytes());
                ctx.fireUserEventTriggered(TOO_LARGE);
                return;
            }
            if (in.readableBytes() < 2 + len) {
                return; // the rest of the frame is still on its way
            }
            in.skipBytes(2);
            if (len == 0) {
                counters.increment(IceTcpCounter.EMPTY_FRAME);
                continue;
            }
            out.add(in.readRetainedSlice(len));
        }
    }

    /** Whether the decoder met a frame too large (and discards everything since). */
    public boolean failed() {
        return failed;
    }
}
