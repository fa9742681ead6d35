/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.bench.load;

import dev.cskit.netty.NettyMediaTransport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * What both server children of the harness ({@link LoadServer}, {@link RelayServer}) answer on stdin, one command a
 * line, each reply ending with {@code END}:
 * <ul>
 *   <li>{@code heap}: {@code heap <usedBytes>} after two full GCs;</li>
 *   <li>{@code threads}: per thread, {@code thread <name> <cpuNanos> <userNanos>} (kernel = cpu - user), then per
 *       task {@code wait <comm> <nanos>}: the time it was runnable but waited for a CPU
 *       ({@code /proc/self/task/<tid>/schedstat}), which says how much other processes took from it;</li>
 *   <li>{@code latency}: the forwarding delay since the last {@code latency}, nanoseconds from a read batch's
 *       read to its send (see {@link NettyMediaTransport.BatchProbe}), one weighted value per forwarded packet:
 *       {@code latency <count> <p50> <p99> <p99.9> <max>};</li>
 *   <li>{@code counters}: per socket in order, {@code socket <in> <sent> <dropped>} datagrams so far (read off the
 *       sockets' loops: they may lag a little);</li>
 *   <li>anything else goes to the child's own commands.</li>
 * </ul>
 * EOF on stdin stops the child.
 */
final class ChildServer {

    private static final long HIGHEST_NANOS = 10_000_000_000L;

    private final List<NettyMediaTransport> sockets;
    private final List<SingleWriterRecorder> recorders = new ArrayList<>();

    /** Installs a forwarding-delay probe on each socket (recorded on the socket's loop, read here). */
    ChildServer(List<NettyMediaTransport> sockets) {
        this.sockets = List.copyOf(sockets);
        for (NettyMediaTransport s : this.sockets) {
            SingleWriterRecorder r = new SingleWriterRecorder(HIGHEST_NANOS, 3);
            recorders.add(r);
            s.probe((read, sent, n) -> r.recordValueWithCount(Math.max(0, Math.min(HIGHEST_NANOS, sent - read)), n));
        }
    }

    /** Runs the command loop until stdin closes. */
    void serve(PrintStream out, Function<String[], List<String>> own) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] f = line.trim().split("\\s+");
            switch (f[0]) {
                case "heap" -> out.println("heap " + usedHeapAfterGc());
                case "threads" -> {
                    threads().forEach(out::println);
                    waits().forEach(out::println);
                }
                case "latency" -> out.println(latency());
                case "counters" -> {
                    for (NettyMediaTransport s : sockets) {
                        out.println("socket " + s.receivedDatagrams() + " " + s.sentDatagrams() + " "
                                + s.droppedDatagrams());
                    }
                }
                default -> own.apply(f).forEach(out::println);
            }
            out.println("END");
            out.flush();
        }
    }

    private String latency() {
        Histogram h = new Histogram(HIGHEST_NANOS, 3);
        for (SingleWriterRecorder r : recorders) {
            h.add(r.getIntervalHistogram());
        }
        return String.format(Locale.ROOT, "latency %d %d %d %d %d", h.getTotalCount(), h.getValueAtPercentile(50),
                h.getValueAtPercentile(99), h.getValueAtPercentile(99.9), h.getMaxValue());
    }

    static long usedHeapAfterGc() throws InterruptedException {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        System.gc();
        Thread.sleep(100);
        System.gc();
        return mem.getHeapMemoryUsage().getUsed();
    }

    /** Every task's run-queue wait so far, by its (15-character) name; empty where /proc has no schedstat. */
    static List<String> waits() {
        List<String> lines = new ArrayList<>();
        try (java.util.stream.Stream<java.nio.file.Path> tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
            for (java.nio.file.Path t : (Iterable<java.nio.file.Path>) tasks::iterator) {
                try {
                    String comm = java.nio.file.Files.readString(t.resolve("comm")).trim().replace(' ', '_');
                    String[] f = java.nio.file.Files.readString(t.resolve("schedstat")).trim().split(" ");
                    lines.add("wait " + comm + " " + f[1]);
                } catch (java.io.IOException | RuntimeException e) {
                    // the thread ended while we read it
                }
            }
        } catch (java.io.IOException e) {
            return List.of();
        }
        return lines;
    }

    /** Every thread's CPU and user nanoseconds so far (names with spaces get underscores). */
    static List<String> threads() {
        ThreadMXBean tmx = ManagementFactory.getThreadMXBean();
        List<String> lines = new ArrayList<>();
        for (ThreadInfo ti : tmx.getThreadInfo(tmx.getAllThreadIds())) {
            if (ti != null) {
                long cpu = tmx.getThreadCpuTime(ti.getThreadId());
                long user = tmx.getThreadUserTime(ti.getThreadId());
                if (cpu > 0) {
                    lines.add("thread " + ti.getThreadName().replace(' ', '_') + " " + cpu + " " + Math.max(0, user));
                }
            }
        }
        return lines;
    }
}
