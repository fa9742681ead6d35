/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.bench.load;

import dev.cskit.api.CsConfig;
import dev.cskit.api.CustomerServicePlugin;
import dev.cskit.api.media.MediaTransport;
import dev.cskit.netty.HostComponent;
import dev.cskit.netty.NettyHost;
import dev.cskit.netty.UdpMediaPort;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The server under load, in a child JVM of {@link LoadHarness}: assembled as {@code dev.cskit.server.Main.start}
 * does it (a {@link NettyHost} on 127.0.0.1 with a {@link UdpMediaPort} component and the customer-service plugin
 * from {@link CustomerServicePlugin#load()}), in-memory sessions, no admin token.
 *
 * <p>It prints {@code READY <httpPort> <mediaPort>} on stdout, then answers one-line commands on stdin, each reply
 * ending with a line {@code END}:
 * <ul>
 *   <li>{@code counters}: the media port's datagrams so far: {@code counters <in> <sent> <sendRefused>};</li>
 *   <li>{@code heap}: runs {@code System.gc()} twice and prints {@code heap <usedBytes>};</li>
 *   <li>{@code threads}: per thread-name group ({@code cskit-io}, {@code cskit-udp}, {@code cskit-media}, GC, ...), the CPU nanoseconds
 *       used so far, {@code cpu <group> <nanos>}, and the time its threads were runnable but waiting for a CPU
 *       ({@code /proc/self/task/<tid>/schedstat}), {@code wait <group> <nanos>};</li>
 *   <li>{@code sample <n> <periodMs>}: takes {@code n} stack samples of the runnable {@code cskit-*} threads and
 *       prints the most frequent top frames and the most frequent cskit/BouncyCastle/JDK-crypto frames anywhere on
 *       the stack (a poor man's sampling profiler: safepoint-biased, good enough to name the hot code).</li>
 * </ul>
 * EOF on stdin stops the server. Single-threaded command loop.
 */
public final class LoadServer {

    private LoadServer() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        CsConfig cs = CsConfig.newBuilder()
                .maxSessions(100_000)
                .sessionTimeout(Duration.ofHours(2))
                .build();
        // -Dcskit.media.transport=nio (through --server-jvm) measures the NIO port on a machine that has epoll.
        UdpMediaPort.Transport transport = UdpMediaPort.Transport.valueOf(
                System.getProperty("cskit.media.transport", "auto").toUpperCase(java.util.Locale.ROOT));
        CountingMediaPort media = new CountingMediaPort(new UdpMediaPort(0, "127.0.0.1", transport));
        NettyHost host = NettyHost.newBuilder()
                .bindAddress("127.0.0.1")
                .port(0)
                .heartbeatTimeout(Duration.ofSeconds(60))
                .component(media)
                .build();
        try {
            host.start();
            host.startPlugin(CustomerServicePlugin.load(), cs);
        } catch (Exception | Error e) {
            host.close();
            throw e;
        }
        out.println("READY " + host.port() + " " + media.port.boundPort());
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] f = line.trim().split("\\s+");
            switch (f[0]) {
                case "counters" -> {
                    long[] c = media.counts();
                    out.println("counters " + c[0] + " " + c[1] + " " + c[2]);
                }
                case "heap" -> out.println("heap " + usedHeapAfterGc());
                case "threads" -> {
                    threadCpu().forEach((g, ns) -> out.println("cpu " + g + " " + ns));
                    runQueueWait().forEach((g, ns) -> out.println("wait " + g + " " + ns));
                }
                case "sample" -> sample(Integer.parseInt(f[1]), Integer.parseInt(f[2])).forEach(out::println);
                default -> out.println("error unknown command " + f[0]);
            }
            out.println("END");
            out.flush();
        }
        host.close();
    }

    static long usedHeapAfterGc() throws InterruptedException {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        System.gc();
        Thread.sleep(100);
        System.gc();
        return mem.getHeapMemoryUsage().getUsed();
    }

    /** CPU nanoseconds by thread group: the name without its trailing numbers ({@code cskit-io-3-1} → cskit-io). */
    static Map<String, Long> threadCpu() {
        ThreadMXBean tmx = ManagementFactory.getThreadMXBean();
        Map<String, Long> byGroup = new TreeMap<>();
        for (ThreadInfo ti : tmx.getThreadInfo(tmx.getAllThreadIds())) {
            if (ti == null) {
                continue;
            }
            long ns = tmx.getThreadCpuTime(ti.getThreadId());
            if (ns > 0) {
                byGroup.merge(group(ti.getThreadName()), ns, Long::sum);
            }
        }
        return byGroup;
    }

    /**
     * Run-queue wait per thread group from {@code /proc/self/task/<tid>/schedstat} (field 2: time spent runnable
     * but not running): how long the scheduler kept ready threads off the CPU. Empty where /proc has no schedstat.
     */
    static Map<String, Long> runQueueWait() {
        Map<String, Long> byGroup = new TreeMap<>();
        try (java.util.stream.Stream<java.nio.file.Path> tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
            for (java.nio.file.Path t : (Iterable<java.nio.file.Path>) tasks::iterator) {
                try {
                    String comm = java.nio.file.Files.readString(t.resolve("comm")).trim();
                    String[] f = java.nio.file.Files.readString(t.resolve("schedstat")).trim().split(" ");
                    byGroup.merge(group(comm), Long.parseLong(f[1]), Long::sum);
                } catch (java.io.IOException | RuntimeException e) {
                    // the thread ended while we read it
                }
            }
        } catch (java.io.IOException e) {
            return Map.of();
        }
        return byGroup;
    }

    static String group(String threadName) {
        return threadName.replaceAll("[-# ]*\\d+([-#]\\d+)*$", "").replace(' ', '_');
    }

    static List<String> sample(int n, int periodMs) throws InterruptedException {
        ThreadMXBean tmx = ManagementFactory.getThreadMXBean();
        Map<String, Integer> top = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        int samples = 0;
        for (int i = 0; i < n; i++) {
            for (ThreadInfo ti : tmx.dumpAllThreads(false, false, 24)) {
                if (!ti.getThreadName().startsWith("cskit-") || ti.getThreadState() != Thread.State.RUNNABLE) {
                    continue;
                }
                StackTraceElement[] st = ti.getStackTrace();
                if (st.length == 0 || idle(st[0])) {
                    continue;
                }
                samples++;
                top.merge(group(ti.getThreadName()) + " " + frame(st[0]), 1, Integer::sum);
                java.util.Set<String> seen = new java.util.HashSet<>();
                for (StackTraceElement e : st) {
                    String c = e.getClassName();
                    if ((c.startsWith("dev.cskit") || c.startsWith("org.bouncycastle") || c.startsWith("javax.crypto")
                            || c.startsWith("com.sun.crypto") || c.startsWith("sun.nio.ch")) && seen.add(frame(e))) {
                        inclusive.merge(frame(e), 1, Integer::sum);
                    }
                }
            }
            Thread.sleep(periodMs);
        }
        List<String> lines = new ArrayList<>();
        lines.add("busy samples " + samples + " of " + n + " rounds (threads parked in epoll/park/wait are left out)");
        best(top, 15).forEach(e -> lines.add("top " + e.getValue() + " " + e.getKey()));
        best(inclusive, 25).forEach(e -> lines.add("incl " + e.getValue() + " " + e.getKey()));
        return lines;
    }

    private static List<Map.Entry<String, Integer>> best(Map<String, Integer> m, int k) {
        return m.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(k)
                .toList();
    }

    /** A thread waiting for work: Java reports a thread in epoll_wait as RUNNABLE. */
    private static boolean idle(StackTraceElement top) {
        String f = frame(top);
        return f.startsWith("sun.nio.ch.EPoll.wait") || f.startsWith("jdk.internal.misc.Unsafe.park")
                || f.startsWith("java.lang.Object.wait") || f.startsWith("java.lang.Thread.sleep");
    }

    private static String frame(StackTraceElement e) {
        return e.getClassName() + "." + e.getMethodName();
    }

    /**
     * The real {@link UdpMediaPort} with datagram counters around each socket (one plain {@code long} increment
     * per datagram, on the socket's loop), so the harness can read what the server forwarded.
     */
    static final class CountingMediaPort implements HostComponent, MediaTransport {
        final UdpMediaPort port;
        private volatile List<Counting> sockets = List.of();

        CountingMediaPort(UdpMediaPort port) {
            this.port = port;
        }

        @Override
        public String name() {
            return port.name();
        }

        @Override
        public void start(NettyHost host) throws Exception {
            port.start(host);
            sockets = port.sockets().stream().map(Counting::new).toList();
        }

        @Override
        public void close() {
            port.close();
        }

        @Override
        public List<MediaSocket> sockets() {
            return List.copyOf(sockets);
        }

        /** Received, sent and refused datagrams, summed over the sockets (read racily: they only grow). */
        long[] counts() {
            long[] c = new long[3];
            for (Counting s : sockets) {
                c[0] += s.in;
                c[1] += s.sent;
                c[2] += s.refused;
            }
            return c;
        }
    }

    /** One socket with its counters, written on its loop only. */
    static final class Counting implements MediaTransport.MediaSocket {
        private final MediaTransport.MediaSocket socket;
        long in;
        long sent;
        long refused;

        Counting(MediaTransport.MediaSocket socket) {
            this.socket = socket;
        }

        @Override
        public List<InetSocketAddress> candidates() {
            return socket.candidates();
        }

        @Override
        public void setReceiver(MediaTransport.DatagramReceiver receiver) {
            socket.setReceiver((buf, off, len, from) -> {
                in++;
                receiver.onDatagram(buf, off, len, from);
            });
        }

        @Override
        public boolean send(byte[] buf, int off, int len, InetSocketAddress to) {
            boolean ok = socket.send(buf, off, len, to);
            if (socket.inLoop()) {
                if (ok) {
                    sent++;
                } else {
                    refused++;
                }
            }
            return ok;
        }

        @Override
        public void execute(Runnable task) {
            socket.execute(task);
        }

        @Override
        public java.util.concurrent.Future<?> schedule(Runnable task, long delay, java.util.concurrent.TimeUnit unit) {
            return socket.schedule(task, delay, unit);
        }

        @Override
        public boolean inLoop() {
            return socket.inLoop();
        }
    }
}
