/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.bench.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The server the harness loads: a {@link LoadServer} child JVM started from the harness's own class path (its CPU
 * read from {@code /proc/<pid>/stat}, its heap, thread CPU and datagram counters through its stdin commands), or an
 * external server given by URL (then only what the clients measure is known).
 *
 * <p>Not thread-safe: the harness's main thread drives it.
 */
final class ServerUnderTest implements AutoCloseable {

    /** USER_HZ: the unit of utime/stime in /proc/[pid]/stat; 100 on every Linux this runs on. */
    static final long CLOCK_TICKS_PER_SECOND = 100;

    private final String baseUrl;
    private final Process process;
    private final BufferedReader out;
    private final Writer in;

    private ServerUnderTest(String baseUrl, Process process, BufferedReader out, Writer in) {
        this.baseUrl = baseUrl;
        this.process = process;
        this.out = out;
        this.in = in;
    }

    static ServerUnderTest external(String baseUrl) {
        return new ServerUnderTest(baseUrl.replaceAll("/+$", ""), null, null, null);
    }

    /** Starts {@link LoadServer} in a child JVM and waits for its READY line. */
    static ServerUnderTest child(List<String> jvmArgs) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(LoadServer.class.getName());
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Writer in = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("READY ")) {
            // the child logs to stderr; anything else on stdout before READY is ignored
        }
        if (line == null) {
            p.waitFor(5, TimeUnit.SECONDS);
            throw new IOException("the server child exited before READY (exit " + p.exitValue() + ")");
        }
        String[] f = line.split(" ");
        return new ServerUnderTest("http://127.0.0.1:" + f[1], p, out, in);
    }

    String baseUrl() {
        return baseUrl;
    }

    boolean measurable() {
        return process != null;
    }

    Optional<Long> pid() {
        return process == null ? Optional.empty() : Optional.of(process.pid());
    }

    /** utime + stime of the whole server process (all threads: I/O, handshakes, GC, JIT), in clock ticks. */
    long cpuTicks() throws IOException {
        long[] t = cpuUserSystemTicks();
        return t[0] + t[1];
    }

    /** utime and stime of the server process, in clock ticks: the system part is mostly the UDP syscalls. */
    long[] cpuUserSystemTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
        // the comm field may contain spaces: split after its closing parenthesis; utime is field 14, stime 15
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
    }

    /** Resident set size of the server process, bytes. */
    long rssBytes() throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    /** Heap used after two full GCs in the server. */
    long heapAfterGc() throws IOException {
        return Long.parseLong(command("heap").get(0).split(" ")[1]);
    }

    /** Datagrams through the media port so far: in, sent, send refused. */
    long[] counters() throws IOException {
        String[] f = command("counters").get(0).split(" ");
        return new long[] {Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])};
    }

    /** CPU nanoseconds per server thread group so far. */
    /** CPU nanoseconds ({@code cpu:<group>}) and run-queue wait ({@code wait:<group>}) per server thread group so far. */
    Map<String, Long> threadCpu() throws IOException {
        Map<String, Long> m = new TreeMap<>();
        for (String l : command("threads")) {
            String[] f = l.split(" ");
            m.put(f[0] + ":" + f[1], Long.parseLong(f[2]));
        }
        return m;
    }

    /** Stack samples of the server's runnable cskit threads (see {@link LoadServer}). */
    List<String> sample(int n, int periodMs) throws IOException {
        return command("sample " + n + " " + periodMs);
    }

    private List<String> command(String c) throws IOException {
        in.write(c + "\n");
        in.flush();
        List<String> lines = new ArrayList<>();
        String l;
        while ((l = out.readLine()) != null && !l.equals("END")) {
            lines.add(l);
        }
        if (l == null) {
            throw new IOException("the server child exited");
        }
        return lines;
    }

    @Override
    public void close() {
        if (process == null) {
            return;
        }
        try {
            in.close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroy();
            }
        } catch (IOException | InterruptedException e) {
            process.destroy();
        }
    }
}
