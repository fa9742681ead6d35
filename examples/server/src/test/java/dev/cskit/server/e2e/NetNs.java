/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A private network namespace for one test, so that it can use an address that is not loopback without sending
 * anything off the machine. {@code examples/e2e/netns.sh}, run under {@code unshare -n} (as root, as in CI) or
 * {@code unshare -rn} (a user namespace too, so no root is needed), brings {@code lo} up and adds a veth pair
 * with the given address on {@code veth0}; both ends stay inside, and the namespace has no route out of the
 * veth's own subnet. Commands join it through {@code nsenter}; {@link #dropInbound} adds nftables rules in it.
 *
 * <p>{@link #close()} kills every process in the namespace (tracked or not, found by its {@code /proc/PID/ns/net}),
 * waits a bounded time, then ends the process that holds the namespace, which is then gone. Not thread-safe: one
 * test drives it.
 */
final class NetNs implements AutoCloseable {

    static final Path SCRIPT = NodeScripts.E2E_DIR.resolve("netns.sh");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);
    private static final Pattern COUNTER = Pattern.compile("counter packets (\\d+)");
    private static final AtomicInteger TABLES = new AtomicInteger();

    private final Process holder;
    private final boolean userNamespace;
    private final String address;
    private final Path netNsLink;
    private final List<Process> started = new CopyOnWriteArrayList<>();

    private NetNs(Process holder, boolean userNamespace, String address, Path netNsLink) {
        this.holder = holder;
        this.userNamespace = userNamespace;
        this.address = address;
        this.netNsLink = netNsLink;
    }

    /**
     * Makes a namespace with {@code cidr} (e.g. {@code 198.18.0.1/24}, an RFC 2544 benchmarking address) on its
     * veth, and waits (bounded) until it is set up.
     */
    static NetNs create(String cidr) throws IOException, InterruptedException {
        assertTrue(cidr.matches("\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}"), "an IPv4 address with prefix, like 198.18.0.1/24: " + cidr);
        boolean root = isRoot();
        List<String> cmd = new ArrayList<>(List.of("unshare", root ? "-n" : "-rn", "sh", SCRIPT.toString(), cidr));
        Process holder = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        // unshare execs the script (no fork), so the holder's pid is the namespace's first process.
        List<String> output = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (output) {
                        output.add(line);
                        output.notifyAll();
                    }
                }
            } catch (IOException e) {
                // the holder ended; create() reports what it printed
            }
        }, "netns-holder-output");
        reader.setDaemon(true);
        reader.start();
        long end = System.nanoTime() + START_TIMEOUT.toNanos();
        synchronized (output) {
            while (!output.contains("ready") && holder.isAlive() && System.nanoTime() < end) {
                output.wait(100);
            }
            if (!output.contains("ready")) {
                holder.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError("could not make a network namespace with " + String.join(" ", cmd)
                        + " (needs util-linux's unshare and iproute2's ip; as non-root, unprivileged user"
                        + " namespaces): " + String.join("\n", output));
            }
        }
        Path link = Path.of("/proc", String.valueOf(holder.pid()), "ns", "net");
        return new NetNs(holder, !root, cidr.substring(0, cidr.indexOf('/')), Files.readSymbolicLink(link));
    }

    private static boolean isRoot() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:")) {
                return line.split("\\s+")[2].equals("0"); // real, effective, saved, fs: the effective one
            }
        }
        throw new IllegalStateException("no Uid line in /proc/self/status");
    }

    /** The veth's address, e.g. {@code 198.18.0.1}. */
    String address() {
        return address;
    }

    /** {@code cmd} run inside the namespace: the {@code nsenter} prefix, then {@code cmd}. */
    List<String> command(List<String> cmd) {
        List<String> out = new ArrayList<>(List.of("nsenter", "-t", String.valueOf(holder.pid())));
        if (userNamespace) {
            out.addAll(List.of("-U", "--preserve-credentials"));
        }
        out.add("-n");
        out.add("--");
        out.addAll(cmd);
        return out;
    }

    /** Starts {@code cmd} inside the namespace in {@code dir}, stdout and stderr to {@code log}; killed by close. */
    Process start(List<String> cmd, Path dir, Path log) throws IOException {
        Process p = new ProcessBuilder(command(cmd)).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        started.add(p);
        return p;
    }

    /** The exit code and output of a command run to its end. */
    record Result(int exitCode, String output) {
    }

    /** Runs {@code cmd} inside the namespace, waiting at most {@code timeout} (then it is killed, exit -1). */
    Result run(Duration timeout, List<String> cmd) throws IOException, InterruptedException {
        Path log = Files.createTempFile("cskit-netns-", ".log");
        try {
            Process p = start(cmd, NodeScripts.E2E_DIR, log);
            boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                kill(p.toHandle());
            }
            started.remove(p);
            return new Result(done ? p.exitValue() : -1, Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /**
     * Drops, at the input hook of the namespace, every packet matching the nftables expression {@code match}
     * (e.g. {@code udp dport 9000}, or {@code udp sport 9000}) until the returned rule is closed.
     */
    Rule dropInbound(String match) throws IOException, InterruptedException {
        String table = "cskit_drop_" + TABLES.incrementAndGet();
        nft("add table inet " + table + " { chain input { type filter hook input priority 0; policy accept; "
                + match + " counter drop; }; }");
        return new Rule(table);
    }

    /** An nftables drop rule in this namespace; closing it deletes it. */
    final class Rule implements AutoCloseable {
        private final String table;
        private boolean deleted;

        private Rule(String table) {
            this.table = table;
        }

        /** How many packets the rule has dropped so far. */
        long dropped() throws IOException, InterruptedException {
            String listing = nft("list table inet " + table);
            Matcher m = COUNTER.matcher(listing);
            assertTrue(m.find(), () -> "no counter in " + listing);
            return Long.parseLong(m.group(1));
        }

        @Override
        public void close() throws IOException {
            if (!deleted) {
                try {
                    nft("delete table inet " + table);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while deleting nft table " + table);
                }
                deleted = true;
            }
        }
    }

    private String nft(String script) throws IOException, InterruptedException {
        Result r = run(Duration.ofSeconds(10), List.of("nft", script));
        assertTrue(r.exitCode() == 0, () -> "nft " + script + " failed (exit " + r.exitCode() + "): " + r.output());
        return r.output();
    }

    /**
     * Ends everything in the namespace: the processes started here and any other process found in it (a
     * browser's helpers, say) get SIGTERM, then SIGKILL after a bounded wait; then the holder goes.
     */
    @Override
    public void close() {
        List<ProcessHandle> inside = new ArrayList<>();
        for (Process p : started) {
            inside.add(p.toHandle());
        }
        ProcessHandle.allProcesses().filter(h -> h.pid() != holder.pid() && inNamespace(h)).forEach(inside::add);
        for (ProcessHandle h : inside) {
            kill(h);
        }
        try {
            holder.getOutputStream().close(); // ends the holder's `cat`, and with it the namespace
        } catch (IOException e) {
            // already gone
        }
        try {
            if (!holder.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                holder.destroyForcibly().waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean inNamespace(ProcessHandle h) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", String.valueOf(h.pid()), "ns", "net")).equals(netNsLink);
        } catch (IOException | SecurityException e) {
            return false; // gone, or not ours to look at (then not in our namespace either)
        }
    }

    /** SIGTERM to the process and its descendants, SIGKILL to what is left after a bounded wait. */
    private static void kill(ProcessHandle h) {
        List<ProcessHandle> tree = new ArrayList<>(h.descendants().toList());
        tree.add(h);
        tree.forEach(ProcessHandle::destroy);
        long end = System.nanoTime() + KILL_WAIT.toNanos();
        for (ProcessHandle p : tree) {
            if (!awaitExit(p, end - System.nanoTime())) {
                p.destroyForcibly();
                awaitExit(p, KILL_WAIT.toNanos());
            }
        }
    }

    private static boolean awaitExit(ProcessHandle p, long nanos) {
        try {
            p.onExit().get(Math.max(0, nanos), TimeUnit.NANOSECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !p.isAlive();
        } catch (ExecutionException | TimeoutException e) {
            return !p.isAlive();
        }
    }
}
