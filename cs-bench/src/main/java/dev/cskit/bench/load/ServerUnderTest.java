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
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A server child JVM of the harness ({@link LoadServer} or {@link RelayServer}), started from the harness's own
 * class path, optionally pinned to CPUs with {@code taskset}: its CPU read from {@code /proc/<pid>/stat}, the rest
 * through {@link ChildServer}'s stdin commands.
 *
 * <p>Not thread-safe: the harness's main thread drives it.
 */
final class ServerUnderTest implements AutoCloseable {

    /** USER_HZ: the unit of utime/stime in /proc/[pid]/stat; 100 on every Linux this runs on. */
    static final long CLOCK_TICKS_PER_SECOND = 100;

    private final Process process;
    private final BufferedReader out;
    private final Writer in;
    final int httpPort;
    final List<Integer> mediaPorts;

    private ServerUnderTest(Process process, BufferedReader out, Writer in, int httpPort, List<Integer> mediaPorts) {
        this.process = process;
        this.out = out;
        this.in = in;
        this.httpPort = httpPort;
        this.mediaPorts = mediaPorts;
    }

    /** Starts {@code main} with {@code args} in a child JVM (under {@code taskset -c cpus} unless null). */
    static ServerUnderTest start(Class<?> main, String cpus, List<String> jvmArgs, String... args)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        if (cpus != null) {
            cmd.addAll(List.of("taskset", "-c", cpus));
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Writer in = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("READY ")) {
            // the child logs to stderr; anything else on stdout before READY is ignored
        }
        if (line == null) {
            throw new IOException(main.getSimpleName() + " exited before READY");
        }
        String[] f = line.split(" ");
        List<Integer> ports = new ArrayList<>();
        for (int i = 2; i < f.length; i++) {
            ports.add(Integer.parseInt(f[i]));
        }
        return new ServerUnderTest(p, out, in, Integer.parseInt(f[1]), List.copyOf(ports));
    }

    long pid() {
        return process.pid();
    }

    /** utime and stime of the whole process (all threads: loops, handshakes, GC, JIT), in clock ticks. */
    long[] cpuUserSystemTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
        // the comm field may contain spaces: split after its closing parenthesis; utime is field 14, stime 15
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
    }

    /** Resident set size, bytes. */
    long rssBytes() throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    /** Heap used after two full GCs. */
    long heapAfterGc() throws IOException {
        return Long.parseLong(command("heap").get(0).split(" ")[1]);
    }

    /** Per thread name: {cpu, user} nanoseconds so far; per task name prefixed {@code wait:}: {run-queue wait, 0}. */
    Map<String, long[]> threads() throws IOException {
        Map<String, long[]> m = new TreeMap<>();
        for (String l : command("threads")) {
            String[] f = l.split(" ");
            long[] v = f[0].equals("wait") ? new long[] {Long.parseLong(f[2]), 0}
                    : new long[] {Long.parseLong(f[2]), Long.parseLong(f[3])};
            m.merge(f[0].equals("wait") ? "wait:" + f[1] : f[1], v, (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
        }
        return m;
    }

    /** The forwarding delay since the last call: {count, p50, p99, p99.9, max} in nanoseconds. */
    long[] latency() throws IOException {
        String[] f = command("latency").get(0).split(" ");
        return new long[] {Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]),
            Long.parseLong(f[5])};
    }

    /** Datagrams so far per socket: {in, sent, dropped}. */
    List<long[]> counters() throws IOException {
        List<long[]> out = new ArrayList<>();
        for (String l : command("counters")) {
            String[] f = l.split(" ");
            out.add(new long[] {Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])});
        }
        return out;
    }

    /** cskit only: the media engine's counters and stages, one line each (see {@link LoadServer}). */
    List<String> engine() throws IOException {
        return command("engine");
    }

    /** Relay only: datagrams from 127.0.0.1:{@code from} on socket {@code socket} go to 127.0.0.1:{@code to}. */
    void map(int socket, int from, int to) throws IOException {
        command("map " + socket + " " + from + " " + to);
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
        if (!lines.isEmpty() && lines.get(0).startsWith("error ")) {
            throw new IOException(lines.get(0));
        }
        return lines;
    }

    @Override
    public void close() {
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
