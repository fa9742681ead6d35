/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.stream.ChunkedNioFile;
import io.netty.handler.stream.ChunkedWriteHandler;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A response whose body is a file: its head goes out as any response's does (headers, CORS, {@code Connection}),
 * then the file in pieces as the connection can take them ({@link ChunkedWriteHandler} in the pipeline), never
 * whole in memory. Carries no content of its own. Unsupported API.
 */
final class FileResponse extends DefaultFullHttpResponse {

    /** Bytes read from the file per piece. */
    static final int PIECE = 16 * 1024;

    private final Path file;
    private final long length;

    FileResponse(HttpResponseStatus status, Path file, long length) {
        super(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
        this.file = file;
        this.length = length;
        headers().set(HttpHeaderNames.CONTENT_LENGTH, length);
    }

    /** Writes the head and then the file; the future is the last write's. A file gone meanwhile is a 404. */
    ChannelFuture send(ChannelHandlerContext ctx) {
        FileChannel in;
        try {
            in = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            release();
            return ctx.writeAndFlush(HttpResponses.closing(HttpResponses.error(HttpResponseStatus.NOT_FOUND,
                    "the file is gone (deleted while the request waited)")));
        }
        DefaultHttpResponse head = new DefaultHttpResponse(protocolVersion(), status(), headers());
        release();
        ctx.write(head);
        try {
            return ctx.writeAndFlush(new HttpChunkedInput(new ChunkedNioFile(in, 0, length, PIECE)));
        } catch (IOException e) {
            try {
                in.close();
            } catch (IOException ignored) {
                // closing after a failure
            }
            ctx.close();
            return ctx.newFailedFuture(e);
        }
    }
}
