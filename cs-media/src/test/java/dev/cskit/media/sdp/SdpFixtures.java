/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.sdp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** Loads the offer fixtures (stored with LF, served with CRLF like browsers send them). */
final class SdpFixtures {
    private SdpFixtures() {
    }

    static String load(String name) {
        try (InputStream in = SdpFixtures.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + name);
            }
            String lf = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return lf.replace("\r\n", "\n").replace("\n", "\r\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> lines(String sdp) {
        return Arrays.asList(sdp.split("\r\n"));
    }

    /** The 1-based line number of the {@code occurrence}-th (1-based) line starting with {@code prefix}. */
    static int lineOf(String sdp, String prefix, int occurrence) {
        List<String> lines = lines(sdp);
        int seen = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix) && ++seen == occurrence) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("no occurrence " + occurrence + " of " + prefix);
    }

    /** Removes every line starting with {@code prefix}. */
    static String without(String sdp, String prefix) {
        StringBuilder sb = new StringBuilder();
        for (String l : lines(sdp)) {
            if (!l.startsWith(prefix)) {
                sb.append(l).append("\r\n");
            }
        }
        return sb.toString();
    }
}
