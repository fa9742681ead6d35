/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty.internal;

import dev.cskit.api.http.HttpHandler;
import dev.cskit.api.http.HttpRequest;
import dev.cskit.api.http.HttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answers {@link HttpDispatchHandler} gives that do not depend on its connection: a plugin route called and
 * its {@link HttpResponse} turned into Netty's (a file body streamed by {@link FileResponse}), a static file, and
 * the {@code 404}, {@code 413} and {@code 500} envelopes. A route that throws or returns null is a logged
 * {@code 500}, never a closed connection. Stateless. Unsupported API.
 */
final class RouteCalls {

    private static final Logger LOG = LoggerFactory.getLogger(HttpDispatchHandler.class);

    private RouteCalls() {
    }

    static CompletionStage<FullHttpResponse> invoke(HttpHandler handler, HttpRequest req) {
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
            return toNetty(r);
        });
    }

    static FullHttpResponse toNetty(HttpResponse r) {
        FullHttpResponse out;
        if (r.file().isPresent()) {
            Path file = r.file().get();
            try {
                out = new FileResponse(HttpResponseStatus.valueOf(r.status()), file, Files.size(file));
            } catch (IOException e) {
                LOG.error("the response file {} cannot be read", file, e);
                return HttpResponses.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error");
            }
            out.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
        } else {
            out = HttpResponses.of(HttpResponseStatus.valueOf(r.status()), r.contentType(), r.body());
        }
        for (Map.Entry<String, String> h : r.headers()) {
            out.headers().add(h.getKey(), h.getValue());
        }
        return out;
    }

    static FullHttpResponse staticFile(StaticFiles files, String path, boolean head) {
        StaticFiles.Result r;
        try {
            r = files.resolve(path);
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

    static FullHttpResponse notFound(String method, String path) {
        return HttpResponses.error(HttpResponseStatus.NOT_FOUND, "no such resource: " + method + " " + path);
    }

    static FullHttpResponse tooLarge(long limit) {
        return HttpResponses.error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "request body exceeds " + limit
                + " bytes");
    }

    static FullHttpResponse internalError(Throwable t) {
        LOG.error("HTTP work failed", t);
        return HttpResponses.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error");
    }
}
