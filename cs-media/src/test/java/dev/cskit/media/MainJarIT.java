/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The cs-media jar that {@code package} built ships the server's media code only: test peers (client-side WebRTC
 * peers, ICE controllers, fixtures) live in cs-testkit. Runs after {@code package}, on the jar itself.
 */
class MainJarIT {

    /**
     * A top-level class named like a client peer, a test or a test double is test tooling. (A protocol's own roles
     * stay: DTLS's client role is a nested class of the DTLS stack, {@code SrtpTls$Client}.)
     */
    private static final Pattern TEST_TOOLING = Pattern.compile(".*/[^/]*(Client|Test|Fixture|Fake|Stub|Mock)[^/]*");

    private static Path mainJar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            List<Path> jars = files.filter(p -> p.getFileName().toString().matches("cs-media-[^-]+(-SNAPSHOT)?\\.jar"))
                    .toList();
            assertEquals(1, jars.size(), "one main jar in target/: " + jars);
            return jars.get(0);
        }
    }

    @Test
    void theMainJarHoldsNoTestPeers() throws IOException {
        List<String> classes = new ArrayList<>();
        List<String> tooling = new ArrayList<>();
        try (JarFile jar = new JarFile(mainJar().toFile())) {
            for (JarEntry e : Collections.list(jar.entries())) {
                String name = e.getName();
                if (e.isDirectory() || name.startsWith("META-INF/") || name.equals("module-info.class")) {
                    continue;
                }
                assertTrue(name.startsWith("dev/cskit/media/"), "only cs-media's own package tree: " + name);
                if (name.endsWith(".class")) {
                    classes.add(name);
                    String topLevel = name.replaceFirst("(\\$[^/]*)?\\.class$", "");
                    if (TEST_TOOLING.matcher(topLevel).matches() || name.contains("/client/")
                            || name.contains("/testkit/")) {
                        tooling.add(name);
                    }
                }
            }
        }
        assertTrue(classes.contains("dev/cskit/media/whip/MediaEngine.class"), "the jar was read: " + classes.size());
        assertEquals(List.of(), tooling, "test tooling belongs in cs-testkit");
        assertFalse(classes.stream().anyMatch(c -> c.startsWith("org/junit/")));
    }
}
