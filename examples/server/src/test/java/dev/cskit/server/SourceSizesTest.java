/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Holds the project to its size rule (issue 10): no main Java file of any module over 600 lines, and at most three
 * over 500. A file that grows past it is split where its parts have their own job, not trimmed of comments.
 */
class SourceSizesTest {

    private static final int MAX_LINES = 600;
    private static final int LARGE_LINES = 500;
    private static final int MAX_LARGE_FILES = 3;

    @Test
    void noMainSourceFileIsOver600LinesAndAtMostThreeAreOver500() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent().getParent();
        assertTrue(Files.isRegularFile(root.resolve("cs-api/pom.xml")), () -> root + " is not the project root");
        Map<String, Long> sizes = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(SourceSizesTest::isMainJava).toList()) {
                try (Stream<String> lines = Files.lines(f)) {
                    sizes.put(root.relativize(f).toString(), lines.count());
                }
            }
        }
        assertTrue(sizes.size() > 100, () -> "found only " + sizes.size() + " main sources under " + root);
        List<String> tooLong = sizes.entrySet().stream().filter(e -> e.getValue() > MAX_LINES)
                .map(e -> e.getKey() + " (" + e.getValue() + ")").toList();
        assertFalse(!tooLong.isEmpty(), () -> "over " + MAX_LINES + " lines: " + tooLong);
        List<String> large = sizes.entrySet().stream().filter(e -> e.getValue() > LARGE_LINES)
                .map(e -> e.getKey() + " (" + e.getValue() + ")").toList();
        assertTrue(large.size() <= MAX_LARGE_FILES, () -> "more than " + MAX_LARGE_FILES + " files over "
                + LARGE_LINES + " lines: " + large);
    }

    private static boolean isMainJava(Path f) {
        String p = f.toString().replace('\\', '/');
        return p.endsWith(".java") && p.contains("/src/main/java/") && !p.contains("/target/")
                && !p.contains("/node_modules/");
    }
}
