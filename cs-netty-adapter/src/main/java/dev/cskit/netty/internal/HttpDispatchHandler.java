/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty.internal;

import dev.cskit.api.http.HttpHandler;
import dev.cskit.api.http.HttpRequest;
import dev.cskit.api.http.HttpResponse;
import dev.cskit.api.http.RouteMatcher;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one HTTP/1.1 connection: CORS preflight, plugin routes (on the blocking executor, never on the
 * event loop), {@code 405} with {@code Allow}, the room WebSocket upgrade at {@code /room?type=...},
 * static files, and the {@code 404} envelope. Every response carries {@code Content-Length} and
 * {@code Access-Control-Allow-Origin: *}.
 *
 * <p>Responses leave in request order (RFC 9112 §9.3.2): while one request is being handled, reading is
 * paused and requests already decoded wait in a small queue. One instance per channel, event loop only.
 * Unsupported API.
 */
public final class HttpDispatchHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(HttpDispatchHandler.class);

    /** Pipelined requests held while one is in flight; more closes the connection. */
    static final int MAX_QUEUED = 16;

    private static final String ROOM_PATH = "/room";

    private final HostSettings settings;
    private final Queue<FullHttpRequest> queued = new ArrayDeque<>();
    private boolean inFlight;

    public HttpDispatchHandler(HostSettings settings) {
        this.settings = settings;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest req)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (inFlight) {
            if (queued.size() >= MAX_QUEUED) {
                req.release();
                ctx.close();
                return;
            }
            queued.add(req);
            return;
        }
        try {
            handle(ctx, req);
        } finally {
            req.release();
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        FullHttpRequest r;
        while ((r = queued.poll()) != null) {
            r.release();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            if (!inFlight) {
                ctx.close();
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("HTTP connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    private void handle(ChannelHandlerContext ctx, FullHttpRequest req) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        if (!req.decoderResult().isSuccess()) {
            respond(ctx, HttpResponses.error(HttpResponseStatus.BAD_REQUEST, "malformed HTTP request"), false);
            return;
        }
        QueryStringDecoder uri;
        String path;
        try {
            uri = new QueryStringDecoder(req.uri());
            path = uri.path();
        } catch (IllegalArgumentException e) {
            respond(ctx, HttpResponses.error(HttpResponseStatus.BAD_REQUEST, "malformed request URI"), keepAlive);
            return;
        }
        if (!path.startsWith("/")) {
            respond(ctx, HttpResponses.error(HttpResponseStatus.BAD_REQUEST, "request path must start with '/'"),
                    keepAlive);
            return;
        }
        HttpMethod method = req.method();
        if (HttpMethod.OPTIONS.equals(method)) {
            respond(ctx, HttpResponses.preflight(), keepAlive);
            return;
        }
        if (ROOM_PATH.equals(path) && HttpMethod.GET.equals(method)
                && req.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            upgrade(ctx, req, uri);
            return;
        }
        RouteMatcher.Match match = settings.routes().match(method.name(), path);
        if (match.found()) {
            HttpRequest apiReq = toApiRequest(ctx, req, uri, path, match.params());
            HttpHandler handler = match.handler();
            offload(ctx, keepAlive, () -> invoke(handler, apiReq));
            return;
        }
        if (match.methodNotAllowed()) {
            FullHttpResponse r = HttpResponses.error(HttpResponseStatus.METHOD_NOT_ALLOWED,
                    method.name() + " is not allowed on " + path + "; use " + String.join(", ", match.allowed()));
            r.headers().set(HttpHeaderNames.ALLOW, String.join(", ", match.allowed()) + ", OPTIONS");
            respond(ctx, r, keepAlive);
            return;
        }
        if (ROOM_PATH.equals(path)) {
            respond(ctx, HttpResponses.error(HttpResponseStatus.BAD_REQUEST,
                    "/room is the room WebSocket: open it with a WebSocket upgrade"), keepAlive);
            return;
        }
        if (HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method)) {
            boolean head = HttpMethod.HEAD.equals(method);
            offload(ctx, keepAlive, () -> CompletableFuture.completedFuture(staticFile(path, head)));
            return;
        }
        respond(ctx, notFound(method.name(), path), keepAlive);
    }

    private static FullHttpResponse notFound(String method, String path) {
        return HttpResponses.error(HttpResponseStatus.NOT_FOUND, "no such resource: " + method + " " + path);
    }

    /**
     * Runs blocking work on the host's executor and writes its response back on the event loop when it is
     * ready; a route may finish later on another thread ({@link HttpHandler#handleAsync}), holding no thread.
     */
    private void offload(ChannelHandlerContext ctx, boolean keepAlive,
                         Supplier<CompletionStage<FullHttpResponse>> work) {
        inFlight = true;
        ctx.channel().config().setAutoRead(false);
        try {
            settings.blocking().execute(() -> work.get().whenComplete((r, t) -> {
                FullHttpResponse out = r != null ? r : internalError(t);
                if (ctx.executor().inEventLoop()) {
                    respond(ctx, out, keepAlive);
                } else {
                    try {
                        ctx.executor().execute(() -> respond(ctx, out, keepAlive));
                    } catch (RejectedExecutionException e) {
                        out.release();
                    }
                }
            }));
        } catch (RejectedExecutionException e) {
            respond(ctx, HttpResponses.error(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "the server is overloaded or shutting down; retry later"), keepAlive);
        }
    }

    private static FullHttpResponse internalError(Throwable t) {
        LOG.error("HTTP work failed", t);
        return HttpResponses.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error");
    }

    private static CompletionStage<FullHttpResponse> invoke(HttpHandler handler, HttpRequest req) {
        CompletionStage<HttpResponse> stage;
        try {
            stage = handler.handleAsync(req);
        } catch (Throwable t) {
            stage = CompletableFuture.failedFuture(t);
        }
        return stage.handle((r, t) -> {
            if (t == null && r == null) {
                t = new NullPointerException("route handler returned null for " + req);
            }
            if (t != null) {
                LOG.error("route handler for {} failed", req, t);
                return HttpResponses.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error");
            }
            FullHttpResponse out = HttpResponses.of(HttpResponseStatus.valueOf(r.status()), r.contentType(), r.body());
            for (Map.Entry<String, String> h : r.headers()) {
                out.headers().add(h.getKey(), h.getValue());
            }
            return out;
        });
    }

    private FullHttpResponse staticFile(String path, boolean head) {
        StaticFiles.Result r;
        try {
            r = settings.staticFiles().resolve(path);
        } catch (RuntimeException e) {
            LOG.error("static file {} could not be read", path, e);
            return HttpResponses.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error");
        }
        switch (r.kind()) {
            case FOUND -> {
                FullHttpResponse out = HttpResponses.of(HttpResponseStatus.OK, r.contentType(),
                        head ? new byte[0] : r.body());
                out.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
                out.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
                return out;
            }
            case REDIRECT -> {
                FullHttpResponse out = HttpResponses.of(HttpResponseStatus.MOVED_PERMANENTLY, HttpResponses.JSON,
                        Json.envelope(301, "moved to " + r.location()).getBytes(StandardCharsets.UTF_8));
                out.headers().set(HttpHeaderNames.LOCATION, r.location());
                return out;
            }
            case FORBIDDEN -> {
                return HttpResponses.error(HttpResponseStatus.BAD_REQUEST,
                        "path must not contain '.' or '..' segments, empty segments or back slashes");
            }
            default -> {
                return notFound(head ? "HEAD" : "GET", path);
            }
        }
    }

    private void respond(ChannelHandlerContext ctx, FullHttpResponse r, boolean keepAlive) {
        boolean close = !keepAlive
                || r.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true);
        if (!ctx.channel().isActive()) {
            r.release();
            return;
        }
        if (close) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        ChannelFuture f = ctx.writeAndFlush(r);
        if (close) {
            f.addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (inFlight) {
            f.addListener((ChannelFutureListener) done -> {
                inFlight = false;
                if (!done.isSuccess()) {
                    done.channel().close();
                    return;
                }
                next(ctx);
            });
        }
    }

    /** Handles the queued request, if any, then resumes reading. */
    private void next(ChannelHandlerContext ctx) {
        while (!inFlight) {
            FullHttpRequest r = queued.poll();
            if (r == null) {
                ctx.channel().config().setAutoRead(true);
                return;
            }
            try {
                handle(ctx, r);
            } finally {
                r.release();
            }
        }
    }

    private HttpRequest toApiRequest(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder uri,
                                     String path, Map<String, String> params) {
        HttpRequest.Builder b = HttpRequest.newBuilder(req.method().name(), path)
                .body(ByteBufUtil.getBytes(req.content()))
                .remoteAddress(remote(ctx));
        for (Map.Entry<String, List<String>> q : uri.parameters().entrySet()) {
            q.getValue().forEach(v -> b.queryParam(q.getKey(), v));
        }
        for (Map.Entry<String, String> h : req.headers()) {
            b.header(h.getKey(), h.getValue());
        }
        params.forEach(b::pathParam);
        return b.build();
    }

    private static InetSocketAddress remote(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a
                : new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder uri) {
        List<String> typeParam = uri.parameters().get("type");
        String type = typeParam == null || typeParam.isEmpty() ? "" : typeParam.get(0);
        if (!settings.rooms().hasType(type)) {
            respond(ctx, HttpResponses.closing(HttpResponses.error(HttpResponseStatus.BAD_REQUEST,
                    "unknown room type '" + type + "': use ?type= one of " + settings.rooms().typeNames())), false);
            return;
        }
        WebSocketDecoderConfig config = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(settings.maxFrameBytes())
                .allowExtensions(false)
                .closeOnProtocolViolation(true)
                .build();
        String host = req.headers().get(HttpHeaderNames.HOST, "localhost");
        WebSocketServerHandshaker handshaker =
                new WebSocketServerHandshakerFactory("ws://" + host + ROOM_PATH, null, config).newHandshaker(req);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        RoomConnection connection = new RoomConnection(ctx.channel(), type);
        // The handshaker swaps the HTTP codec for the WebSocket codec and drops the aggregator.
        handshaker.handshake(ctx.channel(), req);
        ChannelPipeline p = ctx.pipeline();
        p.remove(ExpectContinueHandler.class);
        p.remove("http-idle");
        long heartbeatMs = settings.heartbeat().toMillis();
        p.addLast("ws-heartbeat", new IdleStateHandler(heartbeatMs, 0, 0, TimeUnit.MILLISECONDS));
        p.addLast("ws-aggregator", new WebSocketFrameAggregator(settings.maxFrameBytes()));
        p.addLast("ws-room", new RoomSocketHandler(settings.rooms(), connection, settings.clock()));
        p.remove(this);
    }
}
