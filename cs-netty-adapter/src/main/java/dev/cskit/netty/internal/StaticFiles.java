/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty.internal;

import dev.cskit.api.annotation.Nullable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Static files from a class-path folder: {@code /} is {@code <root>/index.html}, {@code /admin/} is
 * {@code <root>/admin/index.html}, {@code /sdk/x.js} is {@code <root>/sdk/x.js}; a folder asked for
 * without its slash is redirected to it. Paths with {@code .} or {@code ..} segments, back slashes or NUL
 * are refused, so nothing outside the root is ever read.
 *
 * <p>Immutable and thread-safe; {@link #resolve} reads the class path, so hosts call it off the event loop.
 * Unsupported API.
 */
public final class StaticFiles {

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json; charset=utf-8"),
            Map.entry("png", "image/png"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("mp3", "audio/mpeg"),
            Map.entry("wav", "audio/wav"),
            Map.entry("txt", "text/plain; charset=utf-8"));

    /** What {@link #resolve} found. */
    public enum Kind { FOUND, NOT_FOUND, REDIRECT, FORBIDDEN }

    /**
     * @param kind        the outcome
     * @param contentType for {@code FOUND}
     * @param body        for {@code FOUND}
     * @param location    for {@code REDIRECT}: the path with its trailing slash
     */
    public record Result(Kind kind, String contentType, byte[] body, String location) {
    }

    private final ClassLoader loader;
    private final @Nullable String root;

    /**
     * @param loader where to look
     * @param root   the class-path folder, e.g. {@code /web}; {@code null} serves nothing
     */
    public StaticFiles(ClassLoader loader, @Nullable String root) {
        this.loader = Objects.requireNonNull(loader, "loader");
        if (root == null) {
            this.root = null;
        } else {
            String r = root;
            while (r.startsWith("/")) {
                r = r.substring(1);
            }
            while (r.endsWith("/")) {
                r = r.substring(0, r.length() - 1);
            }
            this.root = r;
        }
    }

    /** Looks up a decoded request path. */
    public Result resolve(String path) {
        if (!safe(path)) {
            return new Result(Kind.FORBIDDEN, "", new byte[0], "");
        }
        if (root == null) {
            return notFound();
        }
        String rel = path.endsWith("/") ? path + "index.html" : path;
        byte[] body = read(root + rel);
        if (body != null) {
            return new Result(Kind.FOUND, contentType(rel), body, "");
        }
        if (!path.endsWith("/") && loader.getResource(root + path + "/index.html") != null) {
            return new Result(Kind.REDIRECT, "", new byte[0], path + "/");
        }
        return notFound();
    }

    private static Result notFound() {
        return new Result(Kind.NOT_FOUND, "", new byte[0], "");
    }

    /** Whether a path stays inside the root: absolute, no dot segments, no back slash, no NUL. */
    static boolean safe(String path) {
        if (!path.startsWith("/") || path.indexOf('\\') >= 0 || path.indexOf('\0') >= 0) {
            return false;
        }
        for (String seg : path.split("/", -1)) {
            if (seg.equals("..") || seg.equals(".")) {
                return false;
            }
        }
        return !path.contains("//");
    }

    static String contentType(String path) {
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        if (dot <= slash) {
            return "application/octet-stream";
        }
        return TYPES.getOrDefault(path.substring(dot + 1).toLowerCase(Locale.ROOT), "application/octet-stream");
    }

    /** The bytes of a class-path file, or {@code null} if there is none or it is a folder. */
    private @Nullable byte[] read(String name) {
        URL url = loader.getResource(name);
        if (url == null) {
            return null;
        }
        try {
            if ("file".equals(url.getProtocol())) {
                Path p = Path.of(url.toURI());
                return Files.isRegularFile(p) ? Files.readAllBytes(p) : null;
            }
            URLConnection c = url.openConnection();
            c.setUseCaches(false);
            if (c instanceof JarURLConnection jar && (jar.getJarEntry() == null || jar.getJarEntry().isDirectory())) {
                return null;
            }
            try (InputStream in = c.getInputStream()) {
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read class-path resource " + name, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("bad class-path URL " + url, e);
        }
    }
}
