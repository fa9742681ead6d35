/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The standalone server as a user runs it ({@code java -jar target/cs-server.jar --config FILE}) in a child
 * process inside a {@link NetNs}, on free ports ({@code --port 0 --media-port 0}); its HTTP port is read from its
 * ready log line. Failsafe runs after the package phase, so the shaded jar exists. Closing it stops the process
 * (the namespace's close would too).
 */
final class NsServer implements AutoCloseable {

    private static final Pattern READY = Pattern.compile("cskit ready: admin dashboard http://localhost:(\\d+)/");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path log;
    private final int port;

    private NsServer(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    static Path jar() {
        Path jar = Path.of(System.getProperty("basedir", "."), "target", "cs-server.jar").toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), () -> jar + " is missing: run the integration tests with 'mvn verify'"
                + " (failsafe runs after the package phase that builds the jar)");
        return jar;
    }

    /**
     * Writes {@code yaml} to {@code dir/cskit.yaml} and starts the jar with it inside {@code ns} (data in
     * {@code dir/data}, log in {@code dir/server.log}); waits (bounded) for the ready line.
     */
    static NsServer start(NetNs ns, Path dir, String yaml) throws IOException, InterruptedException {
        Path config = Files.writeString(dir.resolve("cskit.yaml"), yaml);
        Path log = dir.resolve("server.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = ns.start(List.of(java, "-Xmx256m", "-jar", jar().toString(), "--config", config.toString(),
                "--port", "0", "--media-port", "0", "--data-dir", dir.resolve("data").toString()), dir, log);
        long end = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < end) {
            Matcher m = READY.matcher(Files.readString(log, StandardCharsets.UTF_8));
            if (m.find()) {
                return new NsServer(p, log, Integer.parseInt(m.group(1)));
            }
            if (!p.isAlive()) {
                break;
            }
            Thread.sleep(100); // polling the log for the ready line
        }
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError("the server jar did not log its ready line within " + START_TIMEOUT.toSeconds()
                + " s (alive: " + p.isAlive() + "); log:\n" + Files.readString(log, StandardCharsets.UTF_8));
    }

    /** The HTTP port inside the namespace. */
    int port() {
        return port;
    }

    /** What the server printed so far. */
    String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
