/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.bench;

import dev.cskit.media.srtp.SrtpProfile;
import java.lang.management.ManagementFactory;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * {@link SrtpForwardBenchmark}'s three forwards in interleaved rounds, outside JMH, for a machine shared with
 * other work (see {@link #main}). Single-threaded; not an API.
 */
public final class SrtpForwardRounds {

    private SrtpForwardRounds() {
    }

    /** One benchmark method bound to its state. */
    private interface Op {
        int run() throws GeneralSecurityException;
    }

    /**
     * The same three forwards as the benchmarks, for a machine shared with other work: for each profile and
     * size, every round runs cskit, jitsi and jca for {@code ops} packets each (in a rotating order), and records
     * this thread's CPU time, the wall-clock time and the bytes allocated per packet. A JMH run gives each
     * benchmark minutes of its own, so a busy spell of the machine can land on one of them alone; here each
     * round sees nearly the same machine, and CPU time leaves out the time the thread waited for a core. Prints
     * medians over the rounds and the median of the per-round ratios. Which GHASH cskit's GCM uses depends on
     * the JVM: start it with {@code --add-opens java.base/com.sun.crypto.provider=ALL-UNNAMED} for the JDK's.
     *
     * <p>{@code java -cp cs-bench/target/benchmarks.jar dev.cskit.bench.SrtpForwardRounds [rounds [ops]]}
     */
    public static void main(String[] args) throws GeneralSecurityException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 21;
        int ops = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        boolean jdkGhash = Object.class.getModule().isOpen("com.sun.crypto.provider", SrtpForwardRounds.class.getModule());
        System.out.printf("JDK %s; cskit GCM on %s; %d rounds of %d packets per method; load average %s%n",
                Runtime.version(), jdkGhash ? "the JDK's GHASH" : "the table GHASH", rounds, ops, loadAverage());
        System.out.println("| profile | size B | method | CPU ns/op (median) | wall ns/op (median) | B/op | ratio to cskit, CPU (median of rounds) |");
        System.out.println("|---|---:|---|---:|---:|---:|---:|");
        String[] names = {"cskit", "jitsi", "jca"};
        for (SrtpProfile profile : SrtpProfile.values()) {
            for (int size : new int[] {200, 1200}) {
                Op[] methods = new Op[3];
                SrtpForwardBenchmark forCskit = state(profile, size);
                SrtpForwardBenchmark.CskitContexts cskit = new SrtpForwardBenchmark.CskitContexts();
                cskit.make(forCskit);
                methods[0] = () -> forCskit.cskit(cskit);
                SrtpForwardBenchmark forJitsi = state(profile, size);
                SrtpForwardBenchmark.JitsiContexts jitsi = new SrtpForwardBenchmark.JitsiContexts();
                jitsi.make(forJitsi);
                methods[1] = () -> forJitsi.jitsi(jitsi);
                SrtpForwardBenchmark forJca = state(profile, size);
                SrtpForwardBenchmark.Jca jca = new SrtpForwardBenchmark.Jca();
                jca.setUp(forJca);
                methods[2] = () -> forJca.jca(jca);

                double[][] cpu = new double[3][rounds];
                double[][] wall = new double[3][rounds];
                double[][] alloc = new double[3][rounds];
                for (int r = -3; r < rounds; r++) { // three rounds of warm-up
                    for (int k = 0; k < 3; k++) {
                        int m = Math.floorMod(r + k, 3);
                        double[] sample = timed(methods[m], ops);
                        if (r >= 0) {
                            cpu[m][r] = sample[0];
                            wall[m][r] = sample[1];
                            alloc[m][r] = sample[2];
                        }
                    }
                }
                for (int m = 0; m < 3; m++) {
                    double[] ratio = new double[rounds];
                    for (int r = 0; r < rounds; r++) {
                        ratio[r] = cpu[m][r] / cpu[0][r];
                    }
                    System.out.printf("| %s | %d | %s | %,.0f | %,.0f | %.1f | %.2f |%n", profile, size, names[m],
                            median(cpu[m]), median(wall[m]), median(alloc[m]), median(ratio));
                }
            }
        }
        System.out.printf("load average at the end: %s%n", loadAverage());
    }

    private static SrtpForwardBenchmark state(SrtpProfile profile, int size) throws GeneralSecurityException {
        SrtpForwardBenchmark b = new SrtpForwardBenchmark();
        b.profile = profile;
        b.size = size;
        b.setUp();
        return b;
    }

    /** {CPU ns, wall ns, allocated bytes} per op over {@code ops} calls. */
    private static double[] timed(Op op, int ops) throws GeneralSecurityException {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        int sink = 0;
        long bytes0 = threads.getThreadAllocatedBytes(id);
        long cpu0 = threads.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        for (int i = 0; i < ops; i++) {
            sink += op.run();
        }
        long wall1 = System.nanoTime();
        long cpu1 = threads.getCurrentThreadCpuTime();
        long bytes1 = threads.getThreadAllocatedBytes(id);
        if (sink == 42) {
            System.out.print(""); // keeps the results alive
        }
        return new double[] {(cpu1 - cpu0) / (double) ops, (wall1 - wall0) / (double) ops, (bytes1 - bytes0) / (double) ops};
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String loadAverage() {
        return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}
