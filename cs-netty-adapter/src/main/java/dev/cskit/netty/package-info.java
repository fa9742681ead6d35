/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */

/**
 * A reference Netty host for cskit: {@link dev.cskit.netty.NettyHost} serves plugin routes, static files and
 * the room WebSocket on one HTTP/1.1 port, implements the cs-api {@code RoomService} and {@code HttpRoutes},
 * and starts {@code CustomerServicePlugin}s. Further transports (the WebRTC UDP media port) plug in as
 * {@link dev.cskit.netty.HostComponent}s on the host's event loops.
 */
package dev.cskit.netty;
