/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty.internal;

import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.http.HttpHandler;
import dev.cskit.api.http.HttpRequest;
import dev.cskit.api.http.HttpResponse;
import dev.cskit.api.http.RouteMatcher;
import dev.cskit.api.http.StreamingHttpHandler;
import dev.cskit.api.http.WebOrigin;
import dev.cskit.netty.stats.HostCounter;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.CodecException;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one HTTP/1.1 connection: parse errors answered with their status ({@code 400}, {@code 414}, {@code 431},
 * {@code 505}) and counted, plain HTTP redirected to HTTPS when the host has TLS, CORS preflight, the cross-site
 * rule of {@link BrowserPolicy}, plugin routes (on the blocking executor, never on the event loop), {@code 405}
 * with {@code Allow}, the room WebSocket upgrade at {@code /room?type=...}, static files, and the {@code 404}
 * envelope. Every response carries {@code Content-Length}; only allowed CORS origins get
 * {@code Access-Control-Allow-Origin}. Every error is a JSON envelope.
 *
 * <p>A request whose route streams its body ({@link dev.cskit.api.http.HttpRoutes#addStreaming}) arrives as its
 * head and then its body pieces (the aggregator lets them through); a {@link BodyStream} hands them to the route
 * with backpressure and the route's own limit. An answer given before such a body ended (a refusal, {@code 413})
 * closes the connection once the rest of the body is dropped.
 *
 * <p>Responses leave in request order (RFC 9112 §9.3.2): while one request is being handled, reading is
 * paused and requests already decoded wait in a small queue. One instance per channel, event loop only.
 * Unsupported API.
 */
public final class HttpDispatchHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(HttpDispatchHandler.class);

    /** Pipelined requests held while one is in flight; more closes the connection. */
    static final int MAX_QUEUED = 16;

    static final String ROOM_PATH = "/room";

    /** What the answer to a request needs besides its body. */
    private record Exchange(boolean keepAlive, @Nullable String corsOrigin) {
    }

    private final HostSettings settings;
    /** Requests decoded while one is in flight, with the body pieces of queued streamed requests. */
    private final Queue<HttpObject> queued = new ArrayDeque<>();
    private int queuedRequests;
    private boolean inFlight;
    /** The body of the last streamed request, while its pieces come (and until the next one). */
    private @Nullable BodyStream stream;

    public HttpDispatchHandler(HostSettings settings) {
        this.settings = settings;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpObject o)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        deliver(ctx, o);
    }

    /**
     * A request, a streamed request's head, or a piece of a streamed body: to the stream that takes it, to the
     * queue while a request is in flight, or handled now.
     */
    private void deliver(ChannelHandlerContext ctx, HttpObject o) {
        if (!(o instanceof io.netty.handler.codec.http.HttpRequest req)) {
            if (stream != null && stream.takesContent() && o instanceof HttpContent piece) {
                stream.content(piece);
            } else if (inFlight) {
                queued.add(o); // a piece of a queued streamed request
            } else {
                ReferenceCountUtil.release(o); // nothing takes it: the codec sends none such
            }
            return;
        }
        if (inFlight) {
            if (queuedRequests >= MAX_QUEUED) {
                settings.counters().increment(HostCounter.PIPELINE_OVERFLOW);
                ReferenceCountUtil.release(o);
                ctx.close();
                return;
            }
            queued.add(o);
            queuedRequests++;
            return;
        }
        handleSafely(ctx, req);
    }

    /**
     * Handles a request and releases it; a bug in handling answers 500 instead of dropping the connection. A head
     * whose body streams starts its {@link BodyStream} first: until a route takes it, the body is dropped.
     */
    private void handleSafely(ChannelHandlerContext ctx, io.netty.handler.codec.http.HttpRequest req) {
        if (!(req instanceof FullHttpRequest)) {
            inFlight = true; // nothing else is handled on this connection until this request is answered
            stream = new BodyStream(ctx, HttpUtil.getContentLength(req, -1L), HttpUtil.is100ContinueExpected(req));
        }
        try {
            handle(ctx, req);
        } catch (RuntimeException e) {
            LOG.error("HTTP request {} {} failed in the host", req.method(), req.uri(), e);
            respond(ctx, HttpResponses.closing(HttpResponses.error(HttpResponseStatus.INTERNAL_SERVER_ERROR,
                    "internal error")), new Exchange(false, null));
        } finally {
            ReferenceCountUtil.release(req);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        HttpObject o;
        while ((o = queued.poll()) != null) {
            ReferenceCountUtil.release(o);
        }
        if (stream != null) {
            stream.channelClosed();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (stream != null) {
            stream.channelClosed();
        }
        super.channelInactive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            if (!inFlight) {
                ctx.close();
            }
            return;
        }
        if (evt instanceof SslHandshakeCompletionEvent hs && !hs.isSuccess()) {
            settings.counters().increment(HostCounter.TLS_HANDSHAKE_FAILED);
            LOG.debug("TLS handshake with {} failed: {}", ctx.channel().remoteAddress(), hs.cause().toString());
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            // A client that reset or broke its connection: counted, never a stack trace per event.
            settings.counters().increment(HostCounter.CONNECTION_RESET);
            LOG.debug("HTTP connection {} broke: {}", ctx.channel().remoteAddress(), cause.toString());
        } else if (cause instanceof CodecException) {
            // Bad TLS records, a connection closed in the middle of a request: the client's, not a host bug.
            LOG.debug("HTTP connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            LOG.warn("HTTP connection {} failed", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }

    private void handle(ChannelHandlerContext ctx, io.netty.handler.codec.http.HttpRequest req) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        if (!req.decoderResult().isSuccess()) {
            refuseMalformed(ctx, req.decoderResult().cause());
            return;
        }
        // RFC 9112 §2.3: this server speaks HTTP/1.x only; RFC 9110 §15.6.6.
        if (req.protocolVersion().majorVersion() != 1) {
            settings.counters().increment(HostCounter.VERSION_NOT_SUPPORTED);
            respond(ctx, HttpResponses.closing(HttpResponses.error(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED,
                    req.protocolVersion().text() + " is not supported; use HTTP/1.1")), new Exchange(false, null));
            return;
        }
        RequestTarget target;
        try {
            target = RequestTarget.parse(req.uri());
        } catch (IllegalArgumentException e) {
            settings.counters().increment(HostCounter.BAD_REQUEST);
            respond(ctx, HttpResponses.error(HttpResponseStatus.BAD_REQUEST,
                    "malformed %-escape in the request target (write a literal % as %25)"), new Exchange(keepAlive, null));
            return;
        }
        String path = target.path();
        if (!path.startsWith("/")) {
            settings.counters().increment(HostCounter.BAD_REQUEST);
            respond(ctx, HttpResponses.error(HttpResponseStatus.BAD_REQUEST, "request path must start with '/'"),
                    new Exchange(keepAlive, null));
            return;
        }
        boolean tls = ctx.pipeline().get(SslHandler.class) != null;
        int httpsPort = settings.httpsPort().getAsInt();
        if (httpsPort > 0 && !tls) {
            redirectToHttps(ctx, req, httpsPort, keepAlive);
            return;
        }
        TrustedProxies.Client client = settings.proxies().resolve(remote(ctx), tls, req.headers()::getAll);
        String scheme = client.secure() ? "https" : "http";
        String authority = client.authority() != null ? client.authority() : req.headers().get(HttpHeaderNames.HOST);
        Optional<WebOrigin> requestOrigin = authority == null ? Optional.empty() : WebOrigin.of(scheme, authority);
        String origin = req.headers().get(HttpHeaderNames.ORIGIN);
        Exchange ex = new Exchange(keepAlive, settings.browser().corsOrigin(origin).orElse(null));
        HttpMethod method = req.method();
        // A CORS preflight, or an OPTIONS no route answers itself, gets Allow (and the CORS headers); a route's own
        // OPTIONS (WHIP/WHEP, RFC 9725 §4.6: the ICE servers as Link headers) is dispatched like any request.
        if (HttpMethod.OPTIONS.equals(method)
                && (req.headers().contains(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD)
                    || !settings.routes().match(method.name(), path).found())) {
            respond(ctx, HttpResponses.preflight(ex.corsOrigin() != null), ex);
            return;
        }
        if (BrowserPolicy.changesState(method.name()) && !settings.browser().mayChangeState(origin, requestOrigin)) {
            settings.counters().increment(HostCounter.CROSS_SITE_REFUSED);
            respond(ctx, HttpResponses.error(HttpResponseStatus.FORBIDDEN, "cross-site request refused: pages of "
                    + origin + " may not change anything here (add the origin to customer_service.cors_origins to "
                    + "allow it)"), ex);
            return;
        }
        if (ROOM_PATH.equals(path) && HttpMethod.GET.equals(method) && req instanceof FullHttpRequest full
                && req.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            FullHttpResponse refusal = RoomUpgrade.upgrade(ctx, full, target.first("type"), tls, settings, this);
            if (refusal != null) {
                respond(ctx, refusal, new Exchange(false, null));
            }
            return;
        }
        RouteMatcher.Match match = settings.routes().match(method.name(), path);
        if (match.found()) {
            HttpRequest apiReq = target.toApiRequest(req, match.params(), client, scheme, remote(ctx));
            if (!(req instanceof FullHttpRequest)) {
                if (!match.streams()) {
                    // The route was swapped for one that reads bodies whole while this head arrived.
                    respond(ctx, HttpResponses.error(HttpResponseStatus.SERVICE_UNAVAILABLE,
                            "the route changed while the request arrived; retry"), ex);
                    return;
                }
                stream.read(match.streaming(), apiReq, match.maxBodyBytes(), settings.blocking(),
                        streamOutcome(ctx, ex));
                return;
            }
            if (match.streams()) {
                // A whole body for a streaming route (it was mounted while the request was read): one piece.
                offload(ctx, ex, () -> invokeWhole(match.streaming(), match.maxBodyBytes(), apiReq));
                return;
            }
            HttpHandler handler = match.handler();
            offload(ctx, ex, () -> RouteCalls.invoke(handler, apiReq));
            return;
        }
        if (match.methodNotAllowed()) {
            FullHttpResponse r = HttpResponses.error(HttpResponseStatus.METHOD_NOT_ALLOWED,
                    method.name() + " is not allowed on " + path + "; use " + String.join(", ", match.allowed()));
            r.headers().set(HttpHeaderNames.ALLOW, String.join(", ", match.allowed()) + ", OPTIONS");
            respond(ctx, r, ex);
            return;
        }
        if (ROOM_PATH.equals(path)) {
            respond(ctx, HttpResponses.error(HttpResponseStatus.BAD_REQUEST,
                    "/room is the room WebSocket: open it with a WebSocket upgrade"), ex);
            return;
        }
        if (HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method)) {
            boolean head = HttpMethod.HEAD.equals(method);
            offload(ctx, ex,
                    () -> CompletableFuture.completedFuture(RouteCalls.staticFile(settings.staticFiles(), path, head)));
            return;
        }
        respond(ctx, RouteCalls.notFound(method.name(), path), ex);
    }

    /** A request the decoder refused: the status that names why, counted; the connection is closed after it. */
    private void refuseMalformed(ChannelHandlerContext ctx, Throwable cause) {
        HttpResponseStatus status;
        String message;
        HostCounter counter;
        if (cause instanceof TooLongHttpLineException) {
            status = HttpResponseStatus.REQUEST_URI_TOO_LONG;
            message = "the request line is longer than " + HostChannelInitializer.MAX_INITIAL_LINE + " bytes";
            counter = HostCounter.URI_TOO_LONG;
        } else if (cause instanceof TooLongHttpHeaderException) {
            status = HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
            message = "the request headers are larger than " + HostChannelInitializer.MAX_HEADER_BYTES + " bytes";
            counter = HostCounter.HEADERS_TOO_LARGE;
        } else {
            status = HttpResponseStatus.BAD_REQUEST;
            message = "malformed HTTP request";
            counter = HostCounter.BAD_REQUEST;
        }
        settings.counters().increment(counter);
        LOG.debug("refused a malformed request from {}: {}", ctx.channel().remoteAddress(), cause.toString());
        respond(ctx, HttpResponses.closing(HttpResponses.error(status, message)), new Exchange(false, null));
    }

    /**
     * Plain HTTP on a host with TLS (its redirect port, or plain bytes on the TLS port): the same host and target
     * on HTTPS; {@code 301} for GET and HEAD, {@code 308} (method and body kept, RFC 9110 §15.4.9) otherwise.
     */
    private void redirectToHttps(ChannelHandlerContext ctx, io.netty.handler.codec.http.HttpRequest req, int httpsPort,
                                 boolean keepAlive) {
        Optional<WebOrigin> host = Optional.ofNullable(req.headers().get(HttpHeaderNames.HOST))
                .flatMap(h -> WebOrigin.of("http", h));
        if (host.isEmpty()) {
            settings.counters().increment(HostCounter.BAD_REQUEST);
            respond(ctx, HttpResponses.error(HttpResponseStatus.BAD_REQUEST,
                    "this port serves HTTPS only; a Host header is needed to redirect there"), new Exchange(keepAlive, null));
            return;
        }
        String location = new WebOrigin("https", host.get().host(), httpsPort) + req.uri();
        boolean safe = HttpMethod.GET.equals(req.method()) || HttpMethod.HEAD.equals(req.method());
        HttpResponseStatus status = safe ? HttpResponseStatus.MOVED_PERMANENTLY : HttpResponseStatus.PERMANENT_REDIRECT;
        FullHttpResponse r = HttpResponses.error(status, "this server speaks HTTPS: " + location);
        r.headers().set(HttpHeaderNames.LOCATION, location);
        respond(ctx, r, new Exchange(keepAlive, null));
    }

    /**
     * Runs blocking work on the host's executor and writes its response back on the event loop when it is
     * ready; a route may finish later on another thread ({@link HttpHandler#handleAsync}), holding no thread.
     */
    private void offload(ChannelHandlerContext ctx, Exchange ex, Supplier<CompletionStage<FullHttpResponse>> work) {
        inFlight = true;
        ctx.channel().config().setAutoRead(false);
        try {
            settings.blocking().execute(() -> work.get().whenComplete((r, t) -> {
                FullHttpResponse out = r != null ? r : RouteCalls.internalError(t);
                if (ctx.executor().inEventLoop()) {
                    respond(ctx, out, ex);
                } else {
                    try {
                        ctx.executor().execute(() -> respond(ctx, out, ex));
                    } catch (RejectedExecutionException e) {
                        out.release();
                    }
                }
            }));
        } catch (RejectedExecutionException e) {
            respond(ctx, HttpResponses.error(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "the server is overloaded or shutting down; retry later"), ex);
        }
    }

    private CompletionStage<FullHttpResponse> invokeWhole(StreamingHttpHandler handler, long limit, HttpRequest req) {
        if (req.bodyLength() > limit) {
            settings.counters().increment(HostCounter.BODY_TOO_LARGE);
            return CompletableFuture.completedFuture(RouteCalls.tooLarge(limit));
        }
        return RouteCalls.invoke(handler::handleWhole, req);
    }

    /** Where a streamed body's route answers: on the event loop, in request order like every answer. */
    private BodyStream.Outcome streamOutcome(ChannelHandlerContext ctx, Exchange ex) {
        return new BodyStream.Outcome() {
            @Override
            public void answer(HttpResponse response) {
                respond(ctx, RouteCalls.toNetty(response), ex);
            }

            @Override
            public void failed(Throwable cause) {
                LOG.error("streaming route for {} failed", ctx.channel(), cause);
                respond(ctx, HttpResponses.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error"), ex);
            }

            @Override
            public void tooLarge(long limit) {
                settings.counters().increment(HostCounter.BODY_TOO_LARGE);
                respond(ctx, RouteCalls.tooLarge(limit), ex);
            }

            @Override
            public void overloaded() {
                respond(ctx, HttpResponses.error(HttpResponseStatus.SERVICE_UNAVAILABLE,
                        "the server is overloaded or shutting down; retry later"), ex);
            }
        };
    }

    private void respond(ChannelHandlerContext ctx, FullHttpResponse r, Exchange ex) {
        HttpResponses.cors(r, ex.corsOrigin(), settings.browser().hasCorsOrigins());
        boolean close = !ex.keepAlive()
                || r.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true);
        if (!ctx.channel().isActive()) {
            r.release();
            return;
        }
        BodyStream early = stream != null && stream.takesContent() ? stream : null;
        if (early != null) {
            // Answered before the body ended: the last answer on this connection, which closes once the rest of
            // the body is dropped (a client still sending then reads this answer rather than a reset).
            boolean closeNow = early.answeredEarly();
            ctx.writeAndFlush(HttpResponses.closing(r)).addListener((ChannelFutureListener) done -> {
                if (closeNow || !done.isSuccess()) {
                    done.channel().close();
                } else {
                    early.answerWritten();
                }
            });
            return;
        }
        if (close) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        ChannelFuture f = r instanceof FileResponse file ? file.send(ctx) : ctx.writeAndFlush(r);
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

    /**
     * Handles what was queued while a request was in flight (requests, and the pieces of a streamed request's body
     * to its stream), then resumes reading if nothing is in flight or a body is streaming in.
     */
    private void next(ChannelHandlerContext ctx) {
        while (true) {
            boolean bodyComing = stream != null && stream.takesContent();
            if (inFlight && !bodyComing) {
                return; // reading stays paused until this request is answered
            }
            HttpObject o = queued.poll();
            if (o == null) {
                ctx.channel().config().setAutoRead(!inFlight || stream.wantsRead());
                return;
            }
            if (o instanceof io.netty.handler.codec.http.HttpRequest) {
                queuedRequests--;
            }
            deliver(ctx, o);
        }
    }

    private static InetSocketAddress remote(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a
                : new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }
}
