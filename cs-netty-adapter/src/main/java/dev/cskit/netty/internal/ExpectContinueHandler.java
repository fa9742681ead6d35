/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty.internal;

import dev.cskit.netty.stats.HostCounter;
import dev.cskit.netty.stats.HostCounters;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;

/**
 * Answers {@code Expect: 100-continue} (RFC 9110 §10.1.1) before the body is read: {@code 100 Continue}
 * when the announced length fits the limit, else the {@code 413} envelope and the connection is closed
 * (the client has not sent the body, so nothing else on the connection can be trusted to follow). Any
 * other expectation gets {@code 417}. Removes the header it handled so the aggregator after it does not
 * answer a second time.
 *
 * <p>One instance per channel, event loop only. Unsupported API.
 */
public final class ExpectContinueHandler extends ChannelInboundHandlerAdapter {

    private final int maxBodyBytes;
    private final HostCounters counters;
    private boolean rejecting;

    public ExpectContinueHandler(int maxBodyBytes, HostCounters counters) {
        this.maxBodyBytes = maxBodyBytes;
        this.counters = counters;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (rejecting && msg instanceof HttpContent) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest req && req.headers().contains(HttpHeaderNames.EXPECT)) {
            if (HttpUtil.is100ContinueExpected(req)) {
                if (HttpUtil.getContentLength(req, -1L) > maxBodyBytes) {
                    counters.increment(HostCounter.BODY_TOO_LARGE);
                    reject(ctx, msg, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                            "request body exceeds " + maxBodyBytes + " bytes");
                    return;
                }
                ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                        Unpooled.EMPTY_BUFFER));
                req.headers().remove(HttpHeaderNames.EXPECT);
            } else {
                counters.increment(HostCounter.BAD_REQUEST);
                reject(ctx, msg, HttpResponseStatus.EXPECTATION_FAILED,
                        "only 'Expect: 100-continue' is supported");
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    private void reject(ChannelHandlerContext ctx, Object msg, HttpResponseStatus status, String message) {
        ReferenceCountUtil.release(msg);
        rejecting = true;
        ctx.writeAndFlush(HttpResponses.closing(HttpResponses.error(status, message)))
                .addListener(ChannelFutureListener.CLOSE);
    }
}
