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
import io.netty.handler.codec.http.HttpContent;
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
 * <p>A body that streams to its route ({@link StreamedBodies}: an upload of megabytes) has an idle deadline
 * instead: each piece of it that arrives gives the client another {@code bodyTimeout} for the next (as nginx's
 * {@code client_body_timeout}). A whole-body deadline would refuse honest uploads on slow links; the idle one still
 * closes a connection whose client stopped sending, and a streamed body holds no thread while it waits.
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
    private final StreamedBodies streamed;
    private Phase phase = Phase.IDLE;
    private @Nullable ScheduledFuture<?> timer;
    /** Whether the body deadline is an idle one (a streamed body), and when its last piece came. */
    private boolean idleBody;
    private long lastProgress;

    public RequestDeadline(Duration headerTimeout, Duration bodyTimeout, HostCounters counters,
                           StreamedBodies streamed) {
        this.headerNanos = headerTimeout.toNanos();
        this.bodyNanos = bodyTimeout.toNanos();
        this.counters = counters;
        this.streamed = streamed;
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
                } else if (msg instanceof HttpRequest req) {
                    idleBody = streamed.streams(req);
                    lastProgress = ctx.executor().ticker().nanoTime();
                    enter(ctx, Phase.BODY);
                } else if (idleBody && phase == Phase.BODY && msg instanceof HttpContent) {
                    // The timer, when it fires, waits the rest of the idle time from here.
                    lastProgress = ctx.executor().ticker().nanoTime();
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
        schedule(ctx, timeout());
    }

    /** The whole time the current phase allows. */
    private long timeout() {
        return phase == Phase.HEADERS ? headerNanos : bodyNanos;
    }

    private void schedule(ChannelHandlerContext ctx, long delayNanos) {
        timer = ctx.executor().schedule(() -> expire(ctx), delayNanos, TimeUnit.NANOSECONDS);
    }

    private void expire(ChannelHandlerContext ctx) {
        timer = null;
        if (phase == Phase.IDLE || !ctx.channel().isActive()) {
            return;
        }
        long nanos = timeout();
        if (!ctx.channel().config().isAutoRead()) {
            // The host paused reading: while it answers an earlier request, or while a streamed body's route is
            // behind. The client is not at fault.
            lastProgress = ctx.executor().ticker().nanoTime();
            schedule(ctx, nanos);
            return;
        }
        if (idleBody && phase == Phase.BODY) {
            long quiet = ctx.executor().ticker().nanoTime() - lastProgress;
            if (quiet < nanos) {
                schedule(ctx, nanos - quiet);
                return;
            }
        }
        counters.increment(HostCounter.REQUEST_TIMEOUT);
        String what = phase == Phase.HEADERS ? "request headers" : idleBody ? "next part of the request body"
                : "request body";
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
