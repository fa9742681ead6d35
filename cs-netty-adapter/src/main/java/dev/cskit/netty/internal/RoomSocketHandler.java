/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cskit.api.room.LeaveReason;
import dev.cskit.api.room.RoomError;
import dev.cskit.netty.stats.HostCounter;
import dev.cskit.netty.stats.HostCounters;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The room protocol on one WebSocket (RFC 6455) connection: text frames of JSON objects with an
 * {@code action}, each parsed once here. {@code join}, {@code leave}, {@code ping} and {@code chat} are handled
 * here; any other action of a seated user goes to the plugin through {@link RoomRegistry#message}. Bad frames get an
 * {@code error} frame and the connection stays up. A reader-idle event (the heartbeat) closes the
 * connection and frees its seat with {@link LeaveReason#TIMED_OUT}.
 *
 * <p>One instance per channel, called on its event loop only. Unsupported API.
 */
public final class RoomSocketHandler extends SimpleChannelInboundHandler<WebSocketFrame> {

    private static final Logger LOG = LoggerFactory.getLogger(RoomSocketHandler.class);

    /** Longest chat text, in characters. */
    static final int MAX_CHAT_LENGTH = 4000;

    private static final String BAD_FRAME = "frames must be JSON objects with an action";

    private final RoomRegistry registry;
    private final RoomConnection connection;
    private final Clock clock;
    private final HostCounters counters;
    private boolean timedOut;

    public RoomSocketHandler(RoomRegistry registry, RoomConnection connection, Clock clock, HostCounters counters) {
        this.registry = registry;
        this.connection = connection;
        this.clock = clock;
        this.counters = counters;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame text) {
            onText(text.text());
        } else if (frame instanceof PingWebSocketFrame) {
            // RFC 6455 §5.5.3: a Pong carries the Ping's application data.
            ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
        } else if (frame instanceof CloseWebSocketFrame) {
            // RFC 6455 §5.5.1: echo the close, then close the TCP connection.
            ctx.writeAndFlush(frame.retainedDuplicate()).addListener(ChannelFutureListener.CLOSE);
        } else if (frame instanceof BinaryWebSocketFrame) {
            connection.send(new RoomError("bad_request", BAD_FRAME).toJson());
        }
        // Pong frames: receiving them already reset the heartbeat.
    }

    private void onText(String text) {
        JsonNode node = Json.parse(text);
        if (!(node instanceof ObjectNode obj) || !obj.path("action").isTextual()) {
            connection.send(new RoomError("bad_request", BAD_FRAME).toJson());
            return;
        }
        String action = obj.get("action").asText();
        switch (action) {
            case "join" -> onJoin(obj);
            case "leave" -> {
                if (!registry.leave(connection)) {
                    connection.send(notJoined());
                }
            }
            case "ping" -> {
                ObjectNode pong = Json.object();
                pong.put("action", "pong");
                pong.put("ts", clock.millis());
                connection.send(Json.write(pong));
            }
            case "chat" -> {
                JsonNode t = obj.get("text");
                if (t == null || !t.isTextual() || t.asText().isEmpty() || t.asText().length() > MAX_CHAT_LENGTH) {
                    connection.send(new RoomError("bad_request",
                            "chat needs a text of 1 to " + MAX_CHAT_LENGTH + " characters").toJson());
                } else if (!registry.chat(connection, t.asText())) {
                    connection.send(notJoined());
                }
            }
            default -> {
                if (!registry.message(connection, action, obj, text)) {
                    connection.send(notJoined());
                }
            }
        }
    }

    private void onJoin(ObjectNode obj) {
        String roomId = idField(obj, "room_id");
        String userId = idField(obj, "user_id");
        if (roomId == null || userId == null) {
            connection.send(new RoomError("bad_request", "join needs room_id and user_id: non-empty strings of at most "
                    + RoomRegistry.MAX_ID_LENGTH + " characters").toJson());
            return;
        }
        JsonNode token = obj.get("token");
        registry.join(connection, roomId, userId, token != null && token.isTextual() ? token.asText() : null);
    }

    private static String idField(ObjectNode obj, String name) {
        JsonNode n = obj.get(name);
        if (n == null || !n.isTextual() || n.asText().isEmpty() || n.asText().length() > RoomRegistry.MAX_ID_LENGTH) {
            return null;
        }
        return n.asText();
    }

    private static String notJoined() {
        return new RoomError("not_joined", "join a room first").toJson();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
            timedOut = true;
            registry.disconnected(connection, LeaveReason.TIMED_OUT);
            ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE, "heartbeat timeout"))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (!timedOut) {
            registry.disconnected(connection, LeaveReason.DISCONNECTED);
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            // A fragmented message grew past the limit: RFC 6455 §7.4.1 status 1009.
            counters.increment(HostCounter.WS_PROTOCOL_ERROR);
            ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.MESSAGE_TOO_BIG, "message too big"))
                    .addListener(ChannelFutureListener.CLOSE);
        } else if (cause instanceof CorruptedWebSocketFrameException c) {
            // The decoder or the UTF-8 validator already sent the close frame (1002, 1007, 1009) and closes.
            counters.increment(WebSocketCloseStatus.INVALID_PAYLOAD_DATA.equals(c.closeStatus())
                    ? HostCounter.WS_INVALID_UTF8 : HostCounter.WS_PROTOCOL_ERROR);
            LOG.debug("room socket {}: {}", connection, cause.getMessage());
        } else if (cause instanceof IOException) {
            // A client that reset its connection (TCP RST) or vanished: counted, one debug line, no stack trace.
            counters.increment(HostCounter.CONNECTION_RESET);
            LOG.debug("room socket {} broke: {}", connection, cause.toString());
            ctx.close();
        } else {
            LOG.warn("room socket {} failed", connection, cause);
            ctx.close();
        }
    }
}
