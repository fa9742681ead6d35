/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty.internal;

import dev.cskit.netty.stats.IceTcpCounter;
import dev.cskit.netty.stats.IceTcpCounters;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One passive ICE-TCP connection (RFC 6544) of a media listener, after an {@link Rfc4571FrameDecoder} and an
 * {@code IdleStateHandler} (reader idle = the consent timeout): hands each frame to its {@link Sink} and sends
 * packets back as frames.
 *
 * <p>Until the media engine says a STUN check passed on it ({@link #markChecked}), the connection is
 * <i>pending</i>: it may carry STUN only (a frame that is not a STUN message closes it, {@code not_stun}), it must
 * get a check through within the check timeout ({@code check_timeout}), and the sink may refuse it when opened (too
 * many pending ones, {@code refused}). Any connection silent for the idle timeout is closed ({@code idle}); a length
 * prefix above the largest frame closes it ({@code frame_too_large}). Each close is counted once, by its reason;
 * nothing is logged per packet.
 *
 * <p>Not thread-safe: every method runs on the connection's event loop (the media loop's thread).
 */
public final class IceTcpConnection extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(IceTcpConnection.class);
    /** RFC 5389 §6: the magic cookie every STUN message carries at bytes 4..7. */
    private static final int STUN_MAGIC_COOKIE = 0x2112A442;
    private static final int STUN_HEADER = 20;

    /** Where a connection's frames and life go: the listener, on the same event loop. */
    public interface Sink {
        /** A new connection; false refuses it (it is closed at once and counted {@code refused}). */
        boolean opened(IceTcpConnection connection);

        /** One frame's payload ({@code frame} is released after this returns; do not keep it). */
        void frame(IceTcpConnection connection, ByteBuf frame);

        /** The connection closed; {@code wasChecked}: a STUN check had passed on it. Not called if refused. */
        void closed(IceTcpConnection connection, boolean wasChecked);
    }

    private final Sink sink;
    private final IceTcpCounters counters;
    private final long checkTimeoutNanos;
    private Channel channel;
    private InetSocketAddress remote;
    private boolean admitted;
    private boolean checked;
    private IceTcpCounter closeReason;
    private ScheduledFuture<?> checkDeadline;

    /**
     * @param checkTimeout how long a new connection has to get a STUN check through
     */
    public IceTcpConnection(Sink sink, IceTcpCounters counters, Duration checkTimeout) {
        this.sink = sink;
        this.counters = counters;
        this.checkTimeoutNanos = checkTimeout.toNanos();
    }

    /** The client's end of the connection (its address and port), which names it to the media engine. */
    public InetSocketAddress remote() {
        return remote;
    }

    /** Whether a STUN check passed on this connection. */
    public boolean isChecked() {
        return checked;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        remote = (InetSocketAddress) channel.remoteAddress();
        counters.increment(IceTcpCounter.ACCEPTED);
        if (!sink.opened(this)) {
            closeReason = IceTcpCounter.REFUSED;
            counters.increment(IceTcpCounter.REFUSED);
            ctx.close();
            return;
        }
        admitted = true;
        checkDeadline = ctx.executor().schedule(() -> {
            if (!checked) {
                close(IceTcpCounter.CHECK_TIMEOUT);
            }
        }, checkTimeoutNanos, TimeUnit.NANOSECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (closeReason != null || !admitted) {
                return; // closing: what was already read is dropped
            }
            if (!checked && !isStun(frame)) {
                close(IceTcpCounter.NOT_STUN);
                return;
            }
            sink.frame(this, frame);
        } finally {
            frame.release();
        }
    }

    // RFC 7983 §7: STUN's first byte is 0..3; RFC 5389 §6: a 20-byte header with the magic cookie.
    private static boolean isStun(ByteBuf b) {
        int i = b.readerIndex();
        return b.readableBytes() >= STUN_HEADER && (b.getUnsignedByte(i) & 0xC0) == 0 && b.getInt(i + 4) == STUN_MAGIC_COOKIE;
    }

    /** The media engine saw a STUN check pass on this connection: it is a peer's now. */
    public void markChecked() {
        if (!checked && admitted && closeReason == null) {
            checked = true;
            if (checkDeadline != null) {
                checkDeadline.cancel(false);
            }
        }
    }

    /**
     * Sends one packet as an RFC 4571 frame, without blocking.
     *
     * @return false if it was dropped (counted {@code send_dropped}): closed, or not writable (the client does not
     *     read fast enough and the write buffer is at its high-water mark), or larger than a frame can say
     */
    public boolean send(byte[] buf, int off, int len) {
        Channel ch = channel;
        if (ch == null || !ch.isActive() || !ch.isWritable() || len > 0xFFFF || closeReason != null) {
            counters.increment(IceTcpCounter.SEND_DROPPED);
            return false;
        }
        ByteBuf out = ch.alloc().directBuffer(2 + len);
        out.writeShort(len).writeBytes(buf, off, len);
        ch.writeAndFlush(out, ch.voidPromise());
        return true;
    }

    /** Closes the connection, counted once as {@code reason}. */
    public void close(IceTcpCounter reason) {
        if (closeReason == null && channel != null) {
            closeReason = reason;
            counters.increment(reason);
            channel.close();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == Rfc4571FrameDecoder.TOO_LARGE) {
            close(IceTcpCounter.FRAME_TOO_LARGE);
        } else if (evt instanceof IdleStateEvent) {
            close(IceTcpCounter.IDLE);
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (checkDeadline != null) {
            checkDeadline.cancel(false);
        }
        if (closeReason == null) {
            closeReason = IceTcpCounter.CLOSED;
            counters.increment(IceTcpCounter.CLOSED);
        }
        if (admitted) {
            admitted = false;
            sink.closed(this, checked);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("ICE-TCP connection from {} failed", remote, cause); // resets: counted as closed, not logged
        ctx.close();
    }
}
