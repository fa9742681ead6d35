/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.bench.load;

import java.util.Locale;

/** One measured step of the load harness. */
final class Row {
    static final String HEADER = "calls  sent-pps  srv-in-pps srv-out-pps  loss%    p50ms   p99ms  p99.9ms  maxms"
            + "  srvCPU%1c srvCPU%m io%   cliCPU%1c busy%m other%1c heapKB/call rssMB  rcvbufErr sndbufErr cliFull skipped";
    int calls;
    double sentPps;
    double serverIn;
    double serverOut;
    long serverRefused;
    long expected;
    long received;
    double lossPercent;
    double p50;
    double p99;
    double p999;
    double max;
    double serverCpu;
    double serverSys;
    double ioThreadCpu;
    double ioThreadWait;
    double clientCpu;
    double machineBusy;
    double heapPerCallKb;
    double rssMb;
    long rcvbufErrors;
    long sndbufErrors;
    long clientSendFull;
    long skipped;

    /** CPU the rest of the machine used meanwhile (other builds and benchmarks), % of one core. */
    double others() {
        return Math.max(0, machineBusy * Runtime.getRuntime().availableProcessors() - serverCpu - clientCpu);
    }

    String line() {
        return String.format(Locale.ROOT, "%5d %9.0f %11.0f %11.0f %6.3f %8.2f %7.2f %8.2f %6.1f %9.0f %7.0f %5.0f %9.0f %7.0f %8.0f %11.1f %6.0f"
                        + " %9d %9d %7d %7d   (expected %d, received %d, server send refused %d, server kernel CPU %.0f %%, network threads run-queue wait %.0f %%)",
                calls, sentPps, serverIn, serverOut, lossPercent, p50, p99, p999, max, serverCpu,
                serverCpu / Runtime.getRuntime().availableProcessors(), ioThreadCpu, clientCpu, machineBusy,
                others(), heapPerCallKb, rssMb, rcvbufErrors, sndbufErrors, clientSendFull, skipped, expected, received,
                serverRefused, serverSys, ioThreadWait);
    }

    String markdown() {
        return String.format(Locale.ROOT, "| %d | %.0f | %.0f | %.0f | %.3f | %.2f | %.2f | %.2f | %.1f | %.0f (%.0f) | %.1f | %.0f | %.0f (%.0f) | %.0f"
                        + " | %.0f | %.0f | %.1f | %.0f | %d | %d |",
                calls, sentPps, serverIn, serverOut, lossPercent, p50, p99, p999, max, serverCpu, serverSys,
                serverOut == 0 ? 0 : serverCpu / 100 * 1e6 / serverOut,
                serverCpu / Runtime.getRuntime().availableProcessors(), ioThreadCpu, ioThreadWait, clientCpu, machineBusy,
                others(), heapPerCallKb, rssMb, rcvbufErrors, skipped);
    }
}
