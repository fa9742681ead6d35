/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.store.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} for tests, in its own process: on a free 127.0.0.1 port, with its files in a
 * directory of the test's, the append-only file on and no snapshots
 * ({@code --port P --bind 127.0.0.1 --dir D --save "" --appendonly yes}). {@link #stop()} sends SIGTERM to its PID
 * (Redis then writes its AOF out and exits cleanly); {@link #start(Path, int)} again on the same directory and port
 * is a Redis restart. Its log is {@code D/redis.log}.
 *
 * <p>The binary is {@code redis-server} from {@code $REDIS_SERVER}, else {@code /usr/bin/redis-server} (Debian's
 * package), else the {@code PATH}.
 */
public final class RedisServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path dir;
    private final int port;

    private RedisServer(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** Starts one on a free port with its files in {@code dir}. */
    public static RedisServer start(Path dir) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                return start(dir, freePort());
            } catch (IOException e) {
                last = e; // the free port was taken in between: try another
            }
        }
        throw last;
    }

    /** Starts one on {@code port} with its files in {@code dir} (after a {@link #stop()}: a restart). */
    public static RedisServer start(Path dir, int port) throws IOException {
        Files.createDirectories(dir);
        Path log = dir.resolve("redis.log");
        Process p = new ProcessBuilder(List.of(binary(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--dir", dir.toString(), "--save", "", "--appendonly", "yes", "--daemonize", "no",
                "--logfile", log.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.out").toFile()))
                .start();
        RedisServer server = new RedisServer(p, dir, port);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!server.answersPing()) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                server.kill();
                throw new IOException("redis-server did not come up on port " + port + " (exit "
                        + (p.isAlive() ? "none" : p.exitValue()) + "); its log:\n" + read(log));
            }
            pause();
        }
        return server;
    }

    private static String binary() {
        String env = System.getenv("REDIS_SERVER");
        if (env != null && !env.isBlank()) {
            return env;
        }
        return Files.isExecutable(Path.of("/usr/bin/redis-server")) ? "/usr/bin/redis-server" : "redis-server";
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Whether it answers {@code PING} with {@code +PONG} now. */
    public boolean answersPing() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] b = new byte[7];
            int n = 0;
            while (n < b.length) {
                int r = in.read(b, n, b.length - n);
                if (r < 0) {
                    return false;
                }
                n += r;
            }
            return new String(b, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }

    /** A short pause between two looks at a condition. */
    static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    public int port() {
        return port;
    }

    public Path dir() {
        return dir;
    }

    public long pid() {
        return process.pid();
    }

    /** {@code redis://127.0.0.1:PORT/db}. */
    public URI uri(int db) {
        return URI.create("redis://127.0.0.1:" + port + "/" + db);
    }

    /** SIGTERM to its PID: Redis writes out its AOF and exits. Waits (bounded) until it is gone. */
    public void stop() {
        ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroy);
        await();
    }

    /** SIGKILL to its PID; waits (bounded) until it is gone. */
    public void kill() {
        ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
        await();
    }

    private void await() {
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("redis-server " + process.pid() + " did not exit within 20 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "(no log)";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
