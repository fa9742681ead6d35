/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api;

import java.util.List;
import java.util.Locale;

/**
 * The kinds of file a call's chat can carry, as recognised by their content (magic bytes), never by the name or
 * the type the client claims. {@code customer_service.file_types} lists those allowed ({@link CsConfig#fileTypes()}).
 */
public enum FileType {
    /** PNG image: {@code 89 50 4E 47 0D 0A 1A 0A} (RFC 2083 §3.1). */
    PNG("png", "image/png", List.of("png")),
    /** JPEG image: {@code FF D8 FF} (JFIF/Exif SOI marker). */
    JPEG("jpeg", "image/jpeg", List.of("jpg", "jpeg")),
    /** GIF image: {@code GIF87a} or {@code GIF89a}. */
    GIF("gif", "image/gif", List.of("gif")),
    /** WebP image: {@code RIFF????WEBP} (RFC 9649 §2.5). */
    WEBP("webp", "image/webp", List.of("webp")),
    /** PDF document: {@code %PDF-}. */
    PDF("pdf", "application/pdf", List.of("pdf")),
    /** Plain text: UTF-8 without control characters other than tab, line feed, form feed and carriage return. */
    TEXT("text", "text/plain; charset=utf-8", List.of("txt", "log", "csv", "md")),
    /** ZIP archive (and office documents, which are ZIPs): {@code PK 03 04} or {@code PK 05 06}. Not allowed by
     *  default: an archive carries files nobody checked. */
    ZIP("zip", "application/zip", List.of("zip", "docx", "xlsx", "pptx", "odt", "ods", "odp"));

    /** What {@code file_types} allows when it is not set. */
    public static final List<FileType> DEFAULTS = List.of(PNG, JPEG, GIF, WEBP, PDF, TEXT);

    private final String wireName;
    private final String mediaType;
    private final List<String> extensions;

    FileType(String wireName, String mediaType, List<String> extensions) {
        this.wireName = wireName;
        this.mediaType = mediaType;
        this.extensions = extensions;
    }

    /** The name in {@code file_types}, e.g. {@code png}. */
    public String wireName() {
        return wireName;
    }

    /** The {@code Content-Type} the file is stored and served with. */
    public String mediaType() {
        return mediaType;
    }

    /** File name extensions (lower case, no dot) that fit this type; the first is the one added to a name without one. */
    public List<String> extensions() {
        return extensions;
    }

    /**
     * The type of a {@code file_types} name, any case ({@code jpg} and {@code txt} are taken too).
     *
     * @throws IllegalArgumentException naming the known types
     */
    public static FileType fromWire(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (FileType t : values()) {
            if (t.wireName.equals(n) || t.extensions.contains(n)) {
                return t;
            }
        }
        StringBuilder known = new StringBuilder();
        for (FileType t : values()) {
            known.append(known.length() == 0 ? "" : ", ").append(t.wireName);
        }
        throw new IllegalArgumentException("unknown file type '" + name + "': use " + known);
    }
}
