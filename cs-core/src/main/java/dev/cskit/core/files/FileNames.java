/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.files;

import dev.cskit.api.FileType;
import dev.cskit.api.annotation.Nullable;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * File names from clients made safe to show and to save: no directories, no control or reserved characters, not
 * too long, and an extension that fits the type the content showed (a PNG sent as {@code x.exe} is offered as
 * {@code x.exe.png}). And the {@code Content-Disposition} that offers one for download. Stateless.
 */
public final class FileNames {

    /** The longest name kept, in characters (the extension is kept whole). */
    public static final int MAX_LENGTH = 120;
    private static final String FALLBACK = "file";

    private FileNames() {
    }

    /** A safe name for content of {@code type} that a client called {@code given} (null or blank: {@code file}). */
    public static String safe(@Nullable String given, FileType type) {
        String n = given == null ? "" : given;
        int slash = Math.max(n.lastIndexOf('/'), n.lastIndexOf('\\'));
        n = n.substring(slash + 1);
        StringBuilder b = new StringBuilder();
        n.codePoints().forEach(cp -> {
            boolean control = cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0x2028 || cp == 0x2029
                    || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069); // and bidi overrides
            boolean reserved = "\"<>:|?*".indexOf(cp) >= 0;
            b.appendCodePoint(control || reserved ? '_' : cp);
        });
        String s = trimDotsAndSpaces(b.toString());
        if (s.isEmpty()) {
            s = FALLBACK;
        }
        int dot = s.lastIndexOf('.');
        String ext = dot > 0 ? s.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
        if (!type.extensions().contains(ext)) {
            s = s + "." + type.extensions().get(0);
            dot = s.lastIndexOf('.');
        }
        if (s.codePointCount(0, s.length()) > MAX_LENGTH) {
            String tail = s.substring(dot);
            int keep = MAX_LENGTH - tail.codePointCount(0, tail.length());
            String stem = s.substring(0, dot);
            stem = stem.substring(0, stem.offsetByCodePoints(0, Math.max(1, Math.min(keep,
                    stem.codePointCount(0, stem.length())))));
            s = stem + tail;
        }
        return s;
    }

    private static String trimDotsAndSpaces(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && (s.charAt(from) == '.' || Character.isWhitespace(s.charAt(from)))) {
            from++;
        }
        while (to > from && (s.charAt(to - 1) == '.' || Character.isWhitespace(s.charAt(to - 1)))) {
            to--;
        }
        return s.substring(from, to);
    }

    /**
     * {@code attachment} with the name (RFC 6266 §4.1): an ASCII {@code filename} for old clients and the exact
     * name as {@code filename*} (RFC 8187 §3.2.1, UTF-8 percent-encoded).
     */
    public static String contentDisposition(String safeName) {
        StringBuilder ascii = new StringBuilder();
        for (int i = 0; i < safeName.length(); i++) {
            char c = safeName.charAt(i);
            ascii.append(c >= 0x20 && c < 0x7F && c != '"' && c != '\\' && c != '%' ? c : '_');
        }
        StringBuilder ext = new StringBuilder();
        for (byte x : safeName.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xFF;
            boolean attrChar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$&+-.^_`|~".indexOf(c) >= 0;
            if (attrChar) {
                ext.append((char) c);
            } else {
                ext.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + ext;
    }
}
