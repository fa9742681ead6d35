/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty.internal;

import dev.cskit.api.annotation.Nullable;
import dev.cskit.netty.stats.HostCounter;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * The room WebSocket upgrade at {@code /room?type=...}: the RFC 6455 handshake, then the HTTP connection's
 * pipeline becomes a room socket (heartbeat, UTF-8 check, frame aggregation, {@link RoomSocketHandler}). Event
 * loop only. Unsupported API.
 */
final class RoomUpgrade {

    private RoomUpgrade() {
    }

    /**
     * Upgrades the connection of {@code dispatcher} to a room socket of {@code type}, or returns the refusal to
     * send (a closing {@code 400} for an unknown type or a bad handshake, {@code 426} for another WebSocket
     * version), leaving the HTTP pipeline as it was.
     */
    static @Nullable FullHttpResponse upgrade(ChannelHandlerContext ctx, FullHttpRequest req, String type, boolean tls,
                                              HostSettings settings, ChannelHandler dispatcher) {
        if (!settings.rooms().hasType(type)) {
            return HttpResponses.closing(HttpResponses.error(HttpResponseStatus.BAD_REQUEST,
                    "unknown room type '" + type + "': use ?type= one of " + settings.rooms().typeNames()));
        }
        WebSocketDecoderConfig config = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(settings.maxFrameBytes())
                .allowExtensions(false)
                .closeOnProtocolViolation(true)
                .build();
        String host = req.headers().get(HttpHeaderNames.HOST, "localhost");
        WebSocketServerHandshaker handshaker =
                new WebSocketServerHandshakerFactory((tls ? "wss://" : "ws://") + host + HttpDispatchHandler.ROOM_PATH, null, config)
                        .newHandshaker(req);
        if (handshaker == null) {
            // RFC 6455 §4.4: 426 naming the version this server speaks.
            FullHttpResponse r = HttpResponses.closing(HttpResponses.error(HttpResponseStatus.UPGRADE_REQUIRED,
                    "unsupported WebSocket version; use Sec-WebSocket-Version: 13"));
            r.headers().set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, "13");
            return r;
        }
        RoomConnection connection = new RoomConnection(ctx.channel(), type);
        // The handshaker swaps the HTTP codec for the WebSocket codec and drops the aggregator. It checks the
        // request (RFC 6455 §4.2.1) before it touches the pipeline, so a refusal leaves the HTTP connection as it was.
        try {
            handshaker.handshake(ctx.channel(), req);
        } catch (WebSocketHandshakeException e) {
            settings.counters().increment(HostCounter.BAD_REQUEST);
            return HttpResponses.closing(HttpResponses.error(HttpResponseStatus.BAD_REQUEST,
                    "not a valid WebSocket upgrade: " + e.getMessage()));
        }
        ChannelPipeline p = ctx.pipeline();
        p.remove(ExpectContinueHandler.class);
        p.remove("http-idle");
        p.remove(RequestDeadline.BYTES);
        p.remove(RequestDeadline.MESSAGES);
        long heartbeatMs = settings.heartbeat().toMillis();
        p.addLast("ws-heartbeat", new IdleStateHandler(heartbeatMs, 0, 0, TimeUnit.MILLISECONDS));
        // RFC 6455 §8.1: a text message that is not UTF-8 fails the connection with 1007.
        p.addLast("ws-utf8", new Utf8FrameValidator(true));
        p.addLast("ws-aggregator", new WebSocketFrameAggregator(settings.maxFrameBytes()));
        p.addLast("ws-room", new RoomSocketHandler(settings.rooms(), connection, settings.clock(), settings.counters()));
        p.remove(dispatcher);
        return null;
    }
}
