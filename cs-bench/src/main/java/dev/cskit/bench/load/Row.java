/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.bench.load;

import java.util.Locale;

/** One measured window of the load harness: one server (cskit or the relay) at one call count. */
final class Row {
    String server;
    int loops;
    int calls;
    double sentPps;
    double serverIn;
    double serverOut;
    long expected;
    long received;
    double lossPercent;
    double clientP50Ms;
    double clientP99Ms;
    /** Server-side forwarding delay (batch read → send), microseconds. */
    double fwdP50;
    double fwdP99;
    double fwdP999;
    double fwdMax;
    /** Server process CPU, % of one core: all, user, kernel. */
    double serverCpu;
    double serverUser;
    double serverSys;
    /** Per loop thread: µs of CPU per packet it sent. */
    double[] loopUsPerPacket = new double[0];
    double clientCpu;
    /** How long the loop threads were runnable but waited for a CPU, % of the window (other processes' toll). */
    double loopWait;
    double heapPerCallKb;
    double rssMb;
    long rcvbufErrors;
    long skipped;

    /** Server CPU per forwarded packet, µs: all, then user, then kernel. */
    double usPerPacket() {
        return serverOut == 0 ? 0 : serverCpu / 100 * 1e6 / serverOut;
    }

    double usUserPerPacket() {
        return serverOut == 0 ? 0 : serverUser / 100 * 1e6 / serverOut;
    }

    double usSysPerPacket() {
        return serverOut == 0 ? 0 : serverSys / 100 * 1e6 / serverOut;
    }

    /** Calls one fully used core would carry at this cost. */
    double callsPerCore() {
        return serverCpu == 0 ? 0 : calls / (serverCpu / 100);
    }

    static final String HEADER = "| server | loops | calls | sent pps | server out pps | loss % | client p50 / p99 ms "
            + "| server forwarding p50 / p99 / p99.9 / max µs | server CPU % of 1 core (user + kernel) "
            + "| µs per forwarded packet (user + kernel) | per loop µs/packet | calls per server core | client CPU % "
            + "| loop run-queue wait % | heap/call KB | RSS MB | rcvbuf errors | skipped |\n"
            + "|---|---:|---:|---:|---:|---:|---|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|\n";

    String markdown() {
        StringBuilder perLoop = new StringBuilder();
        for (double d : loopUsPerPacket) {
            perLoop.append(perLoop.length() == 0 ? "" : " / ").append(String.format(Locale.ROOT, "%.1f", d));
        }
        return String.format(Locale.ROOT, "| %s | %d | %d | %.0f | %.0f | %.3f | %.2f / %.2f | %.0f / %.0f / %.0f / %.0f "
                        + "| %.0f (%.0f + %.0f) | %.2f (%.2f + %.2f) | %s | %.0f | %.0f | %.1f | %s | %.0f | %d | %d |",
                server, loops, calls, sentPps, serverOut, lossPercent, clientP50Ms, clientP99Ms, fwdP50, fwdP99,
                fwdP999, fwdMax, serverCpu, serverUser, serverSys, usPerPacket(), usUserPerPacket(), usSysPerPacket(),
                perLoop, callsPerCore(), clientCpu, loopWait, heapPerCallKb == 0 ? "–" : String.format(Locale.ROOT, "%.0f",
                        heapPerCallKb), rssMb, rcvbufErrors, skipped);
    }
}
