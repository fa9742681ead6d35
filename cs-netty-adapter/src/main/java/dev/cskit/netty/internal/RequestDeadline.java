/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty.internal;

import dev.cskit.api.annotation.Nullable;
import dev.cskit.netty.stats.HostCounter;
import dev.cskit.netty.stats.HostCounters;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Deadlines for one request on a connection: its header block must be complete within {@code headerTimeout} of
 * its first byte, and its body within {@code bodyTimeout} of the end of the headers. Past either the client
 * gets {@code 408} (RFC 9110 §15.5.9) and the connection is closed. Unlike an idle timer, a deadline is not
 * pushed back by each byte, so a client that trickles a request byte by byte cannot hold a connection for ever.
 *
 * <p>Two handlers share the state: {@link #bytes()} goes before the HTTP codec and starts the header deadline
 * at a request's first byte; {@link #messages()} goes after it and moves to the body deadline when the headers
 * are parsed, then to no deadline at the end of the body. While the host is still answering an earlier request
 * it stops reading the connection; a deadline that falls then is moved on, as the client is not at fault.
 *
 * <p>One instance per channel, event loop only. Unsupported API.
 */
public final class RequestDeadline {

    /** Handler names in the pipeline. */
    public static final String BYTES = "deadline-bytes";
    public static final String MESSAGES = "deadline-messages";

    private enum Phase { IDLE, HEADERS, BODY }

    private final long headerNanos;
    private final long bodyNanos;
    private final HostCounters counters;
    private Phase phase = Phase.IDLE;
    private @Nullable ScheduledFuture<?> timer;

    public RequestDeadline(Duration headerTimeout, Duration bodyTimeout, HostCounters counters) {
        this.headerNanos = headerTimeout.toNanos();
        this.bodyNanos = bodyTimeout.toNanos();
        this.counters = counters;
    }

    /** Goes before the HTTP codec: a request's first byte starts the header deadline. */
    public ChannelHandler bytes() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                if (phase == Phase.IDLE && msg instanceof ByteBuf b && b.isReadable()) {
                    enter(ctx, Phase.HEADERS);
                }
                super.channelRead(ctx, msg);
            }

            @Override
            public void handlerRemoved(ChannelHandlerContext ctx) {
                cancel();
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) throws Exception {
                cancel();
                super.channelInactive(ctx);
            }
        };
    }

    /** Goes right after the HTTP codec: parsed headers start the body deadline, the body's end stops it. */
    public ChannelHandler messages() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                if (msg instanceof LastHttpContent) {
                    // A whole request (a FullHttpRequest, e.g. one the decoder refused) or the end of a body.
                    cancel();
                    phase = Phase.IDLE;
                } else if (msg instanceof HttpRequest) {
                    enter(ctx, Phase.BODY);
                }
                super.channelRead(ctx, msg);
            }

            @Override
            public void handlerRemoved(ChannelHandlerContext ctx) {
                cancel();
            }
        };
    }

    private void enter(ChannelHandlerContext ctx, Phase next) {
        cancel();
        phase = next;
        schedule(ctx, next == Phase.HEADERS ? headerNanos : bodyNanos);
    }

    private void schedule(ChannelHandlerContext ctx, long nanos) {
        timer = ctx.executor().schedule(() -> expire(ctx, nanos), nanos, TimeUnit.NANOSECONDS);
    }

    private void expire(ChannelHandlerContext ctx, long nanos) {
        timer = null;
        if (phase == Phase.IDLE || !ctx.channel().isActive()) {
            return;
        }
        if (!ctx.channel().config().isAutoRead()) {
            schedule(ctx, nanos); // the host paused reading while it answers an earlier request
            return;
        }
        counters.increment(HostCounter.REQUEST_TIMEOUT);
        String what = phase == Phase.HEADERS ? "request headers" : "request body";
        phase = Phase.IDLE;
        ctx.channel().writeAndFlush(HttpResponses.closing(HttpResponses.error(HttpResponseStatus.REQUEST_TIMEOUT,
                        "the " + what + " did not arrive within " + TimeUnit.NANOSECONDS.toMillis(nanos) + " ms")))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
