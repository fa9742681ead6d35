/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty.internal;

import dev.cskit.netty.stats.HostCounter;
import dev.cskit.netty.stats.HostCounters;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;

/**
 * {@link HttpObjectAggregator} whose answer to a too-large body is the host's {@code 413} JSON envelope.
 * On a keep-alive connection whose body is still arriving the rest of the body is skipped and the
 * connection stays usable; otherwise it is closed after the answer. Unsupported API.
 */
public final class BodyAggregator extends HttpObjectAggregator {

    private final int maxBodyBytes;
    private final HostCounters counters;

    public BodyAggregator(int maxBodyBytes, HostCounters counters) {
        super(maxBodyBytes);
        this.maxBodyBytes = maxBodyBytes;
        this.counters = counters;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        if (!(oversized instanceof HttpRequest)) {
            ctx.close();
            return;
        }
        counters.increment(HostCounter.BODY_TOO_LARGE);
        FullHttpResponse r = HttpResponses.error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                "request body exceeds " + maxBodyBytes + " bytes");
        if (oversized instanceof FullHttpMessage || !HttpUtil.isKeepAlive(oversized)) {
            ctx.writeAndFlush(HttpResponses.closing(r)).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        }
    }
}
