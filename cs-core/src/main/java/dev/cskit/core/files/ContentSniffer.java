/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.files;

import dev.cskit.api.FileType;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Tells a file's type from its first bytes (magic numbers), never from its name or the type a client claims.
 * {@link #detect} names one of the {@link FileType}s; {@link #describe} names a few kinds that are never accepted
 * (executables, scripts), so that a refusal can say what the file looked like. Stateless and thread-safe.
 */
public final class ContentSniffer {

    /** How many leading bytes decide; a shorter file is judged on all of it. */
    public static final int SNIFF_BYTES = 4096;

    private ContentSniffer() {
    }

    /**
     * The type of content starting with {@code head[0, length)}.
     *
     * @param whole whether those are all the file's bytes (a text check then needs no allowance for a character
     *              cut at the end)
     */
    public static Optional<FileType> detect(byte[] head, int length, boolean whole) {
        if (startsWith(head, length, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return Optional.of(FileType.PNG);
        }
        if (startsWith(head, length, 0xFF, 0xD8, 0xFF)) {
            return Optional.of(FileType.JPEG);
        }
        if (startsWith(head, length, 'G', 'I', 'F', '8', '7', 'a')
                || startsWith(head, length, 'G', 'I', 'F', '8', '9', 'a')) {
            return Optional.of(FileType.GIF);
        }
        // RFC 9649 §2.5: "RIFF", a 4-byte size, "WEBP".
        if (length >= 12 && startsWith(head, length, 'R', 'I', 'F', 'F') && head[8] == 'W' && head[9] == 'E'
                && head[10] == 'B' && head[11] == 'P') {
            return Optional.of(FileType.WEBP);
        }
        if (startsWith(head, length, '%', 'P', 'D', 'F', '-')) {
            return Optional.of(FileType.PDF);
        }
        if (startsWith(head, length, 'P', 'K', 3, 4) || startsWith(head, length, 'P', 'K', 5, 6)) {
            return Optional.of(FileType.ZIP);
        }
        if (length > 0 && isText(head, length, whole)) {
            return Optional.of(FileType.TEXT);
        }
        return Optional.empty();
    }

    /** What a refused file looks like, for the message: an executable or script kind, else empty. */
    public static Optional<String> describe(byte[] head, int length) {
        if (startsWith(head, length, 'M', 'Z')) {
            return Optional.of("a Windows executable (MZ)");
        }
        if (startsWith(head, length, 0x7F, 'E', 'L', 'F')) {
            return Optional.of("an ELF executable");
        }
        if (startsWith(head, length, 0xCF, 0xFA, 0xED, 0xFE) || startsWith(head, length, 0xFE, 0xED, 0xFA, 0xCF)
                || startsWith(head, length, 0xCA, 0xFE, 0xBA, 0xBE)) {
            return Optional.of("a Mach-O executable or Java class");
        }
        if (startsWith(head, length, '#', '!')) {
            return Optional.of("a script (#!)");
        }
        return Optional.empty();
    }

    private static boolean startsWith(byte[] head, int length, int... magic) {
        if (length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((head[i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    /** Plain text by {@link PlainText}'s rule, and not a script ({@code #!}). */
    static boolean isText(byte[] b, int length, boolean whole) {
        if (describe(b, length).isPresent()) {
            return false;
        }
        PlainText t = new PlainText();
        return t.feed(ByteBuffer.wrap(b, 0, length)) && (!whole || t.end());
    }
}
