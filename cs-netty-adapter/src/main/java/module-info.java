/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */

/**
 * The reference Netty host: {@link dev.cskit.netty.NettyHost} (HTTP/HTTPS, the room WebSocket, static pages),
 * {@link dev.cskit.netty.UdpMediaPort} (the WebRTC media port) and what the host counts ({@code netty.stats}).
 * {@code dev.cskit.netty.internal} (the pipeline handlers) is not exported. Netty's {@code EventLoopGroup} appears
 * in the public API (host components run on the host's event loops), so {@code io.netty.transport} is required
 * transitively. The native epoll transport ({@code netty-transport-native-epoll}, Linux) is optional at run time.
 */
module dev.cskit.netty {
    requires transitive dev.cskit.api;
    requires transitive io.netty.transport;
    requires io.netty.buffer;
    requires io.netty.codec;
    requires io.netty.codec.http;
    requires io.netty.common;
    requires io.netty.handler;
    requires io.netty.transport.classes.epoll;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.provider;
    requires org.slf4j;

    exports dev.cskit.netty;
    exports dev.cskit.netty.stats;
}
