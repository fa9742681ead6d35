/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import dev.cskit.api.annotation.Nullable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/** Runs a Node script of {@code examples/e2e} for an integration test; callable from any thread. */
final class NodeScript {

    /** Where the scripts and their {@code node_modules} are. */
    static final Path E2E = Path.of("..", "e2e").toAbsolutePath().normalize();

    /** One run: its exit code (-1 if it was killed at its timeout), its whole output, its last line that is JSON. */
    record Run(int exit, String output, String lastLine) {
    }

    private NodeScript() {
    }

    /**
     * Runs {@code node script args} in examples/e2e with {@code stdin} (or nothing), at most {@code timeout}, then
     * kills it and its children.
     *
     * @throws CompletionException if it cannot be started or its output read, or the thread is interrupted
     */
    static Run run(Duration timeout, @Nullable String stdin, String script, String... args) {
        try {
            List<String> cmd = new ArrayList<>(List.of("node", script));
            cmd.addAll(List.of(args));
            Path in = Files.createTempFile("cskit-node-in-", ".json");
            Path log = Files.createTempFile("cskit-node-", ".log");
            try {
                Files.writeString(in, stdin == null ? "" : stdin);
                Process p = new ProcessBuilder(cmd).directory(E2E.toFile()).redirectErrorStream(true)
                        .redirectInput(in.toFile()).redirectOutput(log.toFile()).start();
                boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (!done) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
                String out = Files.readString(log, StandardCharsets.UTF_8);
                String lastLine = "";
                for (String line : out.split("\n")) {
                    if (line.startsWith("{")) {
                        lastLine = line;
                    }
                }
                return new Run(done ? p.exitValue() : -1, out, lastLine);
            } finally {
                Files.deleteIfExists(in);
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new CompletionException("could not run node " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        }
    }
}
