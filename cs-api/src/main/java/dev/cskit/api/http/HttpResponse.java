/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.http;

import dev.cskit.api.annotation.Nullable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An HTTP response a plugin route returns to the host: a body in memory, or a file on disk ({@link #ofFile}) that a
 * host sends as it reads it. Immutable and thread-safe.
 */
public final class HttpResponse {

    public static final String JSON = "application/json; charset=utf-8";

    private final int status;
    private final String contentType;
    private final List<Map.Entry<String, String>> headers;
    private final byte[] body;
    private final @Nullable Path file;

    private HttpResponse(int status, String contentType, List<Map.Entry<String, String>> headers, byte[] body) {
        this(status, contentType, headers, body, null);
    }

    private HttpResponse(int status, String contentType, List<Map.Entry<String, String>> headers, byte[] body,
                         @Nullable Path file) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("HTTP status must be 100..599, was " + status);
        }
        this.status = status;
        this.contentType = Objects.requireNonNull(contentType, "contentType");
        this.headers = Collections.unmodifiableList(new ArrayList<>(headers));
        this.body = body;
        this.file = file;
    }

    /** A JSON response with the given status and body text. */
    public static HttpResponse json(int status, String json) {
        return new HttpResponse(status, JSON, List.of(), json.getBytes(StandardCharsets.UTF_8));
    }

    /** A response with any content type; {@code body} is copied. */
    public static HttpResponse of(int status, String contentType, byte[] body) {
        return new HttpResponse(status, contentType, List.of(), body.clone());
    }

    /**
     * A response whose body is the content of a file, which a host sends from disk as it reads it (never whole in
     * memory) with the file's length at that time. The file must stay readable until it is sent.
     */
    public static HttpResponse ofFile(int status, String contentType, Path file) {
        return new HttpResponse(status, contentType, List.of(), new byte[0], Objects.requireNonNull(file, "file"));
    }

    /** A copy of this response with one more header. */
    public HttpResponse withHeader(String name, String value) {
        List<Map.Entry<String, String>> h = new ArrayList<>(headers);
        h.add(Map.entry(name, value));
        return new HttpResponse(status, contentType, h, body, file);
    }

    public int status() {
        return status;
    }

    public String contentType() {
        return contentType;
    }

    /** Extra headers in the order they were added (Content-Type and Content-Length are the host's). */
    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    /** The file whose content is the body, for a response made by {@link #ofFile}. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /**
     * The body; a fresh copy each call. For a {@linkplain #ofFile file} response, the file read whole (for hosts
     * and tests that do not stream it).
     *
     * @throws UncheckedIOException if the file cannot be read
     */
    public byte[] body() {
        if (file != null) {
            try {
                return Files.readAllBytes(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the response file " + file, e);
            }
        }
        return body.clone();
    }

    public String bodyAsString() {
        return new String(body(), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "HttpResponse[" + status + ", " + contentType + ", " + (file != null ? "file " + file
                : body.length + " bytes") + "]";
    }
}
