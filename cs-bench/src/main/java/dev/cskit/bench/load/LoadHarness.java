/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.bench.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.HdrHistogram.Histogram;

/**
 * The loopback load harness: N concurrent 1v1 calls through the real cskit server (a {@link LoadServer} child
 * JVM: HTTP API, WHIP/WHEP, ICE, DTLS-SRTP, the media loops), and the same client load through a raw UDP relay (a
 * {@link RelayServer} child: the same Netty transport, no crypto) as the floor, measured in the same run, window
 * by window. The server children are pinned to {@code --server-cpus} and the clients to {@code --client-cpus}
 * with {@code taskset}, so the server's CPU per forwarded packet is its own and the clients do not steal from it.
 *
 * <pre>
 *   java -cp cs-bench/target/benchmarks.jar dev.cskit.bench.load.LoadHarness \
 *        --ramp 50,100,150,200 --loops 1 --seconds 15 --plot load.png --markdown load.md
 * </pre>
 * Options: {@code --calls N} or {@code --ramp a,b,c} (calls are added between steps, never torn down),
 * {@code --loops 1} (media loops of the server, sockets of the relay), {@code --video-kbps 1000},
 * {@code --video-bytes 1100}, {@code --audio-bytes 160}, {@code --seconds 15} (window), {@code --warmup 3},
 * {@code --srtp gcm|aes|both}, {@code --server-cpus 0}, {@code --client-cpus 1} ({@code none}: no pinning),
 * {@code --server-jvm "-Xmx2g"}, {@code --no-relay}, {@code --setup-parallel 8}, {@code --stop-loss 5},
 * {@code --markdown FILE} (append the table), {@code --plot FILE.png}.
 *
 * <p>Per window it reports what the clients sent, what the server forwarded, the loss and one-way delay the clients
 * measured, the server-side forwarding delay (read batch → send, HdrHistogram in the server), the server's CPU
 * (user and kernel, from {@code /proc/<pid>/stat}) per forwarded packet and per loop thread, the calls a core would
 * carry at that cost, and (cskit) the heap per call after GC. Single-threaded driver; not an API.
 */
public final class LoadHarness {

    private static final double LOSS_CEILING_PERCENT = 0.1;

    private final Options o;
    private final ServerUnderTest cskit;
    private final ServerUnderTest relay;
    private final ClientNet net = new ClientNet();
    private final MediaLoad media = new MediaLoad(net);
    private final Calls calls;
    private final List<Row> rows = new ArrayList<>();
    private int cskitCalls;
    private int relayCalls;

    private LoadHarness(Options o, ServerUnderTest cskit, ServerUnderTest relay) {
        this.o = o;
        this.cskit = cskit;
        this.relay = relay;
        this.calls = new Calls(o, net, media);
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        if (o.clientCpus != null) {
            // Every thread of this JVM now and later (new threads inherit the mask) on the clients' CPUs.
            new ProcessBuilder("taskset", "-a", "-p", "-c", o.clientCpus, String.valueOf(ProcessHandle.current().pid()))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        }
        String loops = String.valueOf(o.loops);
        ServerUnderTest cskit = ServerUnderTest.start(LoadServer.class, o.serverCpus, o.serverJvm, loops);
        ServerUnderTest relay = o.relay ? ServerUnderTest.start(RelayServer.class, o.serverCpus, o.serverJvm, loops) : null;
        int exit = 0;
        try {
            new LoadHarness(o, cskit, relay).run();
        } catch (Exception | Error e) {
            e.printStackTrace();
            exit = 1;
        } finally {
            cskit.close();
            if (relay != null) {
                relay.close();
            }
        }
        System.exit(exit); // the clients' event loop threads would keep the JVM alive
    }

    private void run() throws Exception {
        System.out.printf(Locale.ROOT, "cskit load: %d loop(s), server pid %d on CPUs %s, clients on CPUs %s, %d cores,"
                        + " video %d kbit/s in %d B at 30 fps, audio 50 pps of %d B, srtp %s, window %d s%n", o.loops,
                cskit.pid(), o.serverCpus, o.clientCpus, o.cores, o.videoKbps,
                o.videoBytes, o.audioBytes, o.srtp, o.seconds);
        media.start();
        long baseHeap = cskit.heapAfterGc();
        ExecutorService setup = Executors.newFixedThreadPool(o.setupParallel);
        try {
            for (int target : o.ramp) {
                long t0 = System.nanoTime();
                addCskitCalls(setup, target);
                while (relay != null && relayCalls < target) {
                    calls.relay(relay, relayCalls++ % o.loops);
                }
                System.out.printf(Locale.ROOT, "step %d: %d calls up (%.1f s, %d setups failed so far)%n", target,
                        cskitCalls, (System.nanoTime() - t0) / 1e9, calls.failures());
                if (relay != null) {
                    report(measure(relay, false, 0));
                }
                Row r = measure(cskit, true, baseHeap);
                report(r);
                if (r.lossPercent > o.stopLoss) {
                    System.out.printf(Locale.ROOT, "loss %.2f %% > %.2f %%: ramp stopped%n", r.lossPercent, o.stopLoss);
                    break;
                }
            }
        } finally {
            setup.shutdownNow();
        }
        System.out.println("engine counters at the end: " + String.join("; ", cskit.engine()));
        summary();
        calls.close();
        net.close();
    }

    private void addCskitCalls(ExecutorService setup, int target) throws InterruptedException {
        List<Future<?>> pending = new ArrayList<>();
        for (int i = cskitCalls; i < target; i++) {
            int index = i;
            pending.add(setup.submit(() -> {
                calls.cskit(cskit, index);
                return null;
            }));
        }
        for (Future<?> f : pending) {
            try {
                f.get();
                cskitCalls++;
            } catch (java.util.concurrent.ExecutionException e) {
                if (calls.failures.incrementAndGet() <= 5) {
                    System.out.println("call setup failed: " + e.getCause());
                }
            }
        }
    }

    private Row measure(ServerUnderTest server, boolean isCskit, long baseHeap) throws Exception {
        media.onLoop(() -> media.activate(isCskit, true));
        Thread.sleep(o.warmupSeconds * 1000L);
        Snapshot a = snapshot(server);
        server.latency(); // starts a new interval
        media.onLoop(media::startWindow);
        Thread.sleep(o.seconds * 1000L);
        media.onLoop(media::endWindow);
        Snapshot b = snapshot(server);
        long[] fwd = server.latency();
        Thread.sleep(1000); // stragglers of the window still count
        long[][] counts = new long[1][];
        Histogram[] h = new Histogram[1];
        media.onLoop(() -> {
            counts[0] = media.windowCounts();
            h[0] = media.latencyMicros.copy();
            media.activate(isCskit, false);
        });
        Row r = new Row();
        double secs = (b.nanos - a.nanos) / 1e9;
        r.server = isCskit ? "cskit" : "relay";
        r.loops = o.loops;
        r.calls = isCskit ? cskitCalls : relayCalls;
        r.sentPps = (b.clientSent - a.clientSent) / secs;
        r.skipped = b.skipped - a.skipped;
        r.expected = counts[0][0];
        r.received = counts[0][1];
        r.lossPercent = r.expected == 0 ? 0 : 100.0 * Math.max(0, r.expected - r.received) / r.expected;
        r.clientP50Ms = h[0].getValueAtPercentile(50) / 1000.0;
        r.clientP99Ms = h[0].getValueAtPercentile(99) / 1000.0;
        r.fwdP50 = fwd[1] / 1000.0;
        r.fwdP99 = fwd[2] / 1000.0;
        r.fwdP999 = fwd[3] / 1000.0;
        r.fwdMax = fwd[4] / 1000.0;
        r.clientCpu = 100.0 * (b.clientCpuNanos - a.clientCpuNanos) / 1e9 / secs;
        r.rcvbufErrors = b.udp - a.udp;
        double ticks = ServerUnderTest.CLOCK_TICKS_PER_SECOND * secs;
        r.serverUser = 100.0 * (b.serverTicks[0] - a.serverTicks[0]) / ticks;
        r.serverSys = 100.0 * (b.serverTicks[1] - a.serverTicks[1]) / ticks;
        r.serverCpu = r.serverUser + r.serverSys;
        long in = 0;
        long out = 0;
        r.loopUsPerPacket = new double[b.sockets.size()];
        String prefix = isCskit ? "cskit-udp-" : "relay-udp-";
        for (int i = 0; i < b.sockets.size(); i++) {
            long loopIn = b.sockets.get(i)[0] - a.sockets.get(i)[0];
            long loopOut = b.sockets.get(i)[1] - a.sockets.get(i)[1];
            in += loopIn;
            out += loopOut;
            long cpu = threadCpu(b.threads, prefix + i + "-") - threadCpu(a.threads, prefix + i + "-");
            r.loopUsPerPacket[i] = loopOut == 0 ? 0 : cpu / 1000.0 / loopOut;
        }
        // comm names are cut to 15 characters: "cskit-udp-0-7-1" still starts with the loop's prefix
        long wait = threadCpu(b.threads, "wait:" + prefix) - threadCpu(a.threads, "wait:" + prefix);
        r.loopWait = 100.0 * wait / 1e9 / secs / b.sockets.size();
        r.serverIn = in / secs;
        r.serverOut = out / secs;
        r.rssMb = server.rssBytes() / 1048576.0;
        if (isCskit && r.calls > 0) {
            r.heapPerCallKb = (server.heapAfterGc() - baseHeap) / 1024.0 / r.calls;
        }
        rows.add(r);
        return r;
    }

    private static long threadCpu(Map<String, long[]> threads, String prefix) {
        return threads.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToLong(e -> e.getValue()[0])
                .sum();
    }

    private Snapshot snapshot(ServerUnderTest server) throws Exception {
        Snapshot s = new Snapshot();
        long[][] c = new long[1][];
        media.onLoop(() -> c[0] = new long[] {media.sent, media.skipped});
        s.nanos = System.nanoTime();
        s.clientSent = c[0][0];
        s.skipped = c[0][1];
        s.clientCpuNanos = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        s.udp = rcvbufErrors();
        s.serverTicks = server.cpuUserSystemTicks();
        s.sockets = server.counters();
        s.threads = server.threads();
        return s;
    }

    private static final class Snapshot {
        long nanos;
        long clientSent;
        long skipped;
        long clientCpuNanos;
        long udp;
        long[] serverTicks;
        List<long[]> sockets;
        Map<String, long[]> threads;
    }

    /** /proc/net/snmp Udp RcvbufErrors (this network namespace: clients and servers). */
    private static long rcvbufErrors() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc/net/snmp"));
        for (int i = 0; i + 1 < lines.size(); i++) {
            if (lines.get(i).startsWith("Udp:") && lines.get(i + 1).startsWith("Udp:")) {
                List<String> k = Arrays.asList(lines.get(i).split("\\s+"));
                return Long.parseLong(lines.get(i + 1).split("\\s+")[k.indexOf("RcvbufErrors")]);
            }
        }
        return 0;
    }

    private static void report(Row r) {
        System.out.print(Row.HEADER);
        System.out.println(r.markdown());
    }

    private void summary() throws IOException {
        StringBuilder md = new StringBuilder(Row.HEADER);
        rows.forEach(r -> md.append(r.markdown()).append('\n'));
        md.append('\n');
        for (Row c : rows) {
            if (!c.server.equals("cskit")) {
                continue;
            }
            rows.stream().filter(x -> x.server.equals("relay") && x.calls == c.calls).findFirst().ifPresent(f ->
                    md.append(String.format(Locale.ROOT, "- %d calls: cskit %.2f µs per forwarded packet = %.2f× the "
                                    + "relay's %.2f µs (user %.2f vs %.2f, kernel %.2f vs %.2f); forwarding p99 %.0f vs %.0f µs%n",
                            c.calls, c.usPerPacket(), c.usPerPacket() / Math.max(1e-9, f.usPerPacket()),
                            f.usPerPacket(), c.usUserPerPacket(), f.usUserPerPacket(), c.usSysPerPacket(),
                            f.usSysPerPacket(), c.fwdP99, f.fwdP99)));
        }
        Row best = rows.stream().filter(r -> r.server.equals("cskit") && r.lossPercent < LOSS_CEILING_PERCENT)
                .reduce((x, y) -> y.calls > x.calls ? y : x).orElse(null);
        md.append(best == null ? "- no cskit step stayed under 0.1 % loss\n"
                : String.format(Locale.ROOT, "- most calls under 0.1 %% loss: %d (%.3f %%, forwarding p99 %.0f µs)%n",
                        best.calls, best.lossPercent, best.fwdP99));
        md.append(String.format(Locale.ROOT, "- call setups failed: %d%n", calls.failures()));
        System.out.println();
        System.out.println(md);
        if (o.markdown != null) {
            Files.writeString(Path.of(o.markdown), md.toString(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        if (o.plot != null) {
            Plot.write(rows, String.format(Locale.ROOT, "cskit vs raw UDP relay, %d loop(s), server on CPU %s", o.loops,
                    o.serverCpus), Path.of(o.plot));
        }
    }
}
