/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty.internal;

import dev.cskit.api.annotation.Nullable;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One room WebSocket connection: its channel, the room type it was opened for and the seat it holds.
 * The seat fields are guarded by the {@link RoomRegistry}'s lock; {@link #send} is thread-safe (Netty
 * queues writes from other threads on the channel's event loop, in call order). Unsupported API.
 */
public final class RoomConnection {

    private final Channel channel;
    private final String typeName;

    // Guarded by RoomRegistry.lock.
    @Nullable String roomId;
    @Nullable String userId;
    boolean joinPending;
    boolean closed;

    public RoomConnection(Channel channel, String typeName) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.typeName = Objects.requireNonNull(typeName, "typeName");
    }

    public Channel channel() {
        return channel;
    }

    /** The {@code ?type=} the socket was opened with. */
    public String typeName() {
        return typeName;
    }

    /** The peer's address; a loopback placeholder for in-memory test channels. */
    public InetSocketAddress remoteAddress() {
        return channel.remoteAddress() instanceof InetSocketAddress a ? a
                : new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    /**
     * Queues one text frame; dropped if the channel is closed. A client so far behind that the channel's
     * write buffer passed its high-water mark is disconnected rather than buffered without bound.
     */
    public void send(String json) {
        if (!channel.isActive()) {
            return;
        }
        if (!channel.isWritable()) {
            channel.close();
            return;
        }
        channel.writeAndFlush(new TextWebSocketFrame(json));
    }

    @Override
    public String toString() {
        return "RoomConnection[" + channel.id().asShortText() + ", " + typeName + "]";
    }
}
