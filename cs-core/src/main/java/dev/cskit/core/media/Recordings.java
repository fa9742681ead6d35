/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.media;

import dev.cskit.media.record.TrackRecorder;
import dev.cskit.media.whip.StreamKey;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The recordings of calls on disk: {@code recording_dir/{session_id}/{user_id}-{audio|video}.{ext}} for a party's
 * camera and microphone, {@code {user_id}.screen-{audio|video}.{ext}} for its screen share (ids have no {@code .}, so
 * the names cannot meet), or with a {@code -2}, {@code -3}, … before the extension when a party published the same
 * kind again (see {@link TrackRecorder}). Names outside that pattern are never listed nor served, so a request cannot reach
 * another directory.
 *
 * <p>Thread-safe (stateless besides the directory).
 */
public final class Recordings {

    /** Recordings larger than this are not served over HTTP (the response is built in memory). */
    public static final long MAX_SERVED_BYTES = 256L << 20;

    private static final Pattern NAME =
            Pattern.compile("([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}?)(\\.screen)?-(audio|video)(?:-([0-9]{1,4}))?\\.(ogg|ivf|h264)");
    /** What a screen share's file names have after the user id. */
    static final String SCREEN_INFIX = ".screen";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

    private final Path root;

    public Recordings(Path root) {
        this.root = Objects.requireNonNull(root, "root");
    }

    /**
     * One recording file.
     *
     * @param source {@code camera} or {@code screen} ({@link dev.cskit.media.whip.StreamKey.Source#wireName()})
     */
    public record Entry(String name, String userId, String kind, String codec, String contentType, long bytes,
                        Instant createdAt, String source) {
    }

    /** A file's bytes with its entry. */
    public record File(Entry entry, byte[] content) {
    }

    /** Whether {@code name} is a recording file name (and so safe to resolve in a session's directory). */
    public static boolean isValidName(String name) {
        return NAME.matcher(name).matches() && !name.contains("..");
    }

    /** {@code s} as a file name component: characters other than letters, digits, {@code _.-} become {@code _}. */
    static String safeName(String s) {
        if (SAFE.matcher(s).matches() && !s.contains("..")) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 128; i++) {
            char c = s.charAt(i);
            b.append((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ? c : '_');
        }
        return b.length() == 0 ? "_" : b.toString();
    }

    /** The recordings of a session, by name; empty if there are none. */
    public List<Entry> list(String sessionId) throws IOException {
        Path dir = root.resolve(safeName(sessionId));
        List<Entry> out = new ArrayList<>();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path p : files) {
                entry(p).ifPresent(out::add);
            }
        }
        out.sort(Comparator.comparing(Entry::name));
        return out;
    }

    /**
     * One recording's content.
     *
     * @return empty if there is no such recording
     * @throws IllegalArgumentException if {@code name} is not a recording name
     */
    public Optional<Entry> find(String sessionId, String name) throws IOException {
        if (!isValidName(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a recording name: expected "
                    + "{user_id}[.screen]-{audio|video}.{ogg|ivf|h264} as listed by GET .../recordings");
        }
        // Both sides normalized: a root such as ./recordings would otherwise never equal the normalized parent.
        Path dir = root.resolve(safeName(sessionId)).normalize();
        Path p = dir.resolve(name).normalize();
        if (!dir.equals(p.getParent())) {
            throw new IllegalArgumentException("'" + name + "' is not a recording name");
        }
        try {
            return entry(p);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Reads a recording found by {@link #find}. */
    public File read(String sessionId, Entry e) throws IOException {
        return new File(e, Files.readAllBytes(root.resolve(safeName(sessionId)).resolve(e.name())));
    }

    private static Optional<Entry> entry(Path p) throws IOException {
        String name = p.getFileName().toString();
        Matcher m = NAME.matcher(name);
        if (!m.matches() || name.contains("..")) {
            return Optional.empty();
        }
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (!a.isRegularFile()) {
            return Optional.empty();
        }
        TrackRecorder.Format f = TrackRecorder.Format.forExtension(m.group(5)).orElseThrow();
        String codec = switch (f) {
            case OGG_OPUS -> "opus";
            case IVF_VP8 -> "vp8";
            case H264_ANNEX_B -> "h264";
        };
        StreamKey.Source source = m.group(2) != null ? StreamKey.Source.SCREEN : StreamKey.Source.CAMERA;
        return Optional.of(new Entry(name, m.group(1), m.group(3), codec, f.contentType(), a.size(),
                a.creationTime().toInstant(), source.wireName()));
    }
}
