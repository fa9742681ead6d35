/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server in a child JVM, started with {@code --port 0}; its port is read from the ready log line
 * ({@code cskit ready: admin dashboard http://localhost:PORT/admin/ ...}). Output is kept (for failure messages,
 * and for tests that read a log line, such as the first agent's password). {@link #kill()} is {@code kill -9} ({@link Process#destroyForcibly()}): no shutdown hook runs.
 */
public final class ChildServer implements AutoCloseable {

    static final Pattern READY = Pattern.compile("cskit ready: admin dashboard http://localhost:(\\d+)/");
    static final long START_TIMEOUT_S = 60;

    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> port = new CompletableFuture<>();

    private ChildServer(List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        this.process = pb.start();
        Thread reader = new Thread(this::readOutput, "child-server-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** The java launcher of this JVM. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * {@code java -cp <this test's class path> dev.cskit.server.Main --port 0 --media-port 0 --public-ip 127.0.0.1
     * --data-dir D}.
     */
    public static ChildServer mainOnTestClassPath(Path dataDir) throws IOException {
        return start(List.of(java(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "dev.cskit.server.Main", "--port", "0", "--media-port", "0", "--public-ip", "127.0.0.1",
                "--data-dir", dataDir.toString()));
    }

    /** {@code java -jar JAR --port 0 --media-port 0 --public-ip 127.0.0.1 --data-dir D}. */
    static ChildServer jar(Path jar, Path dataDir) throws IOException {
        return start(List.of(java(), "-Xmx256m", "-jar", jar.toString(),
                "--port", "0", "--media-port", "0", "--public-ip", "127.0.0.1", "--data-dir", dataDir.toString()));
    }

    /** Starts the command and waits (bounded) for the ready line; kills the child if it does not come. */
    static ChildServer start(List<String> command) throws IOException {
        ChildServer c = new ChildServer(command);
        try {
            c.port.get(START_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            c.kill();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            c.kill();
            throw new AssertionError("the server did not log its ready line within " + START_TIMEOUT_S + " s; "
                    + "command " + command + ", output:\n" + c.output(), e);
        }
        return c;
    }

    private void readOutput() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                output.add(line);
                Matcher m = READY.matcher(line);
                if (m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException e) {
            output.add("[reading the output failed: " + e + "]");
        } finally {
            port.completeExceptionally(new IllegalStateException("the server's output ended"));
        }
    }

    public int port() {
        return port.join();
    }

    public String output() {
        return String.join("\n", new ArrayList<>(output));
    }

    /** {@code kill -9}, then waits (bounded) for the process to be gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                throw new AssertionError("the server process did not die within 20 s after kill -9");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * SIGTERM, as {@link Process#destroy()} sends it: the server's shutdown hook runs. Sent through the
     * {@link ProcessHandle}, because {@code Process.destroy()} also closes the pipes and the server's last log lines
     * would be lost. Returns at once.
     */
    void terminate() {
        process.toHandle().destroy();
    }

    /** Waits at most {@code timeout} for the process to end; whether it did. */
    boolean waitForExit(java.time.Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
