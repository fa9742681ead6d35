/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.OptionalSslHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;

/**
 * Sets up an accepted connection for HTTP/1.1: on a TLS port, TLS (a connection whose first bytes are plain HTTP
 * stays plain and is only ever redirected to HTTPS); then request deadlines, codec, {@code Expect} handling, body
 * aggregation with the size limit, and the {@link HttpDispatchHandler}, which turns the connection into a room
 * socket on upgrade. Sharable. Unsupported API.
 */
public final class HostChannelInitializer extends ChannelInitializer<Channel> {

    /** Longest request line and header block, RFC 9112 §3 leaves the limit to the server. */
    static final int MAX_INITIAL_LINE = 8192;
    static final int MAX_HEADER_BYTES = 16384;

    /** A keep-alive HTTP connection with no traffic this long is closed (the room socket has its own heartbeat). */
    static final int HTTP_IDLE_SECONDS = 120;

    private final HostSettings settings;
    private final boolean tlsPort;

    /** The main port: TLS when the settings have a context. */
    public HostChannelInitializer(HostSettings settings) {
        this(settings, settings.tls() != null);
    }

    /**
     * @param tlsPort whether connections start with TLS; {@code false} for the HTTP redirect port
     */
    public HostChannelInitializer(HostSettings settings, boolean tlsPort) {
        this.settings = settings;
        this.tlsPort = tlsPort;
        if (tlsPort && settings.tls() == null) {
            throw new IllegalArgumentException("a TLS port needs a TLS context in the settings");
        }
    }

    @Override
    protected void initChannel(Channel ch) {
        settings.openChannels().add(ch);
        ch.closeFuture().addListener(f -> settings.openChannels().remove(ch));
        RequestDeadline deadline = new RequestDeadline(settings.headerTimeout(), settings.bodyTimeout(),
                settings.counters());
        ch.pipeline().addLast("http-idle", new IdleStateHandler(0, 0, HTTP_IDLE_SECONDS));
        if (tlsPort) {
            ch.pipeline().addLast("tls", new TlsOrPlain(settings.tls().get(), settings.headerTimeout().toMillis()));
        }
        ch.pipeline()
                .addLast(RequestDeadline.BYTES, deadline.bytes())
                .addLast("http-codec", new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_BYTES, 8192))
                .addLast(RequestDeadline.MESSAGES, deadline.messages())
                .addLast("http-expect", new ExpectContinueHandler(settings.maxBodyBytes(), settings.counters()))
                .addLast("http-aggregator", new BodyAggregator(settings.maxBodyBytes(), settings.counters()))
                .addLast("http-dispatch", new HttpDispatchHandler(settings));
    }

    /**
     * TLS when the first bytes are a TLS record, else nothing: the plain connection's requests are answered with a
     * redirect to HTTPS by the dispatcher. The TLS handshake must finish within the header deadline.
     */
    private static final class TlsOrPlain extends OptionalSslHandler {
        private final long handshakeMillis;

        TlsOrPlain(SslContext context, long handshakeMillis) {
            super(context);
            this.handshakeMillis = handshakeMillis;
        }

        @Override
        protected SslHandler newSslHandler(ChannelHandlerContext ctx, SslContext context) {
            SslHandler h = context.newHandler(ctx.alloc());
            h.setHandshakeTimeoutMillis(handshakeMillis);
            return h;
        }
    }
}
