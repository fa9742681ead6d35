/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;

/**
 * Sets up an accepted connection for HTTP/1.1: codec, {@code Expect} handling, body aggregation with the
 * size limit, then the {@link HttpDispatchHandler}, which turns the connection into a room socket on
 * upgrade. Sharable. Unsupported API.
 */
public final class HostChannelInitializer extends ChannelInitializer<Channel> {

    /** Longest request line and header block, RFC 9112 §3 leaves the limit to the server. */
    static final int MAX_INITIAL_LINE = 8192;
    static final int MAX_HEADER_BYTES = 16384;

    /** A keep-alive HTTP connection with no traffic this long is closed (the room socket has its own heartbeat). */
    static final int HTTP_IDLE_SECONDS = 120;

    private final HostSettings settings;

    public HostChannelInitializer(HostSettings settings) {
        this.settings = settings;
    }

    @Override
    protected void initChannel(Channel ch) {
        settings.openChannels().add(ch);
        ch.closeFuture().addListener(f -> settings.openChannels().remove(ch));
        ch.pipeline()
                .addLast("http-idle", new IdleStateHandler(0, 0, HTTP_IDLE_SECONDS))
                .addLast("http-codec", new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_BYTES, 8192))
                .addLast("http-expect", new ExpectContinueHandler(settings.maxBodyBytes()))
                .addLast("http-aggregator", new BodyAggregator(settings.maxBodyBytes()))
                .addLast("http-dispatch", new HttpDispatchHandler(settings));
    }
}
