/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cskit.testkit.ClientPeer;
import dev.cskit.media.dtls.DtlsCertificate;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;

/**
 * The loopback load harness (issue 7): N concurrent 1v1 calls through the real server, each with four real
 * WebRTC peers ({@link ClientPeer}: ICE, DTLS-SRTP, SRTP) on their own UDP sockets on 127.0.0.1: the agent and the
 * customer each publish (WHIP) Opus-sized audio at 50 packets/s and video at {@code --video-kbps} in
 * {@code --video-bytes} packets, and each plays (WHEP) the other's stream. Calls are created over the HTTP API
 * ({@code POST /customer-service/sessions}, {@code /assign}, {@code GET /links} for the tokens).
 *
 * <p>Per ramp step it reports the server's forwarded packets/s, client-measured loss, one-way delay
 * publisher → server → player (HdrHistogram, same {@code System.nanoTime()} clock on both ends), server CPU (from
 * {@code /proc/<pid>/stat} of the server child JVM, all its threads), server heap per call (after GC), the client's
 * own CPU (the clients share the two cores with the server) and the kernel's UDP buffer overflow counters.
 *
 * <pre>
 *   java -cp cs-bench/target/benchmarks.jar dev.cskit.bench.load.LoadHarness \
 *        --ramp 10,50,100,200 --video-kbps 1000 --seconds 15
 * </pre>
 * Options: {@code --calls N} or {@code --ramp a,b,c} (calls are added between steps, never torn down),
 * {@code --video-kbps 1000}, {@code --video-bytes 1100}, {@code --audio-bytes 160}, {@code --seconds 15} (measured
 * window per step), {@code --warmup 3}, {@code --server child|http://host:port} (default {@code child}: a
 * {@link LoadServer} JVM started from this class path, which is what makes server CPU/heap measurable),
 * {@code --server-jvm "-Xmx2g"}, {@code --srtp aes|gcm|both}, {@code --rx-threads 2}, {@code --pacer-threads 2},
 * {@code --setup-parallel 8}, {@code --stop-loss 5} (stop ramping above this loss %), {@code --profile}
 * (stack-sample the server's threads at the last step), {@code --markdown FILE} (append the results table).
 *
 * <p>Single-threaded driver; not an API.
 */
public final class LoadHarness {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double LOSS_CEILING_PERCENT = 0.1;

    private final Options o;
    private final ServerUnderTest server;
    private final HttpClient http;
    private final ClientNet net;
    private final MediaLoad media;
    private final ExecutorService handshakes;
    private final DtlsCertificate certificate = DtlsCertificate.generate();
    private final List<Call> calls = new ArrayList<>();
    private final AtomicInteger setupFailures = new AtomicInteger();
    private final List<Row> rows = new ArrayList<>();

    private LoadHarness(Options o, ServerUnderTest server) throws IOException {
        this.o = o;
        this.server = server;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        this.net = new ClientNet(o.rxThreads);
        this.media = new MediaLoad(o.maxCalls() * 4 + 16, o.pacerThreads);
        AtomicInteger n = new AtomicInteger();
        this.handshakes = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "load-dtls-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        ServerUnderTest server = o.server.equals("child")
                ? ServerUnderTest.child(o.serverJvm)
                : ServerUnderTest.external(o.server);
        try {
            new LoadHarness(o, server).run();
        } finally {
            server.close();
        }
        System.exit(0);
    }

    // ------------------------------------------------------------------ the run

    private void run() throws Exception {
        System.out.printf(Locale.ROOT, "cskit load: server %s%s, %d cores, video %d kbit/s in %d B, audio 50 pps of %d B,"
                        + " srtp %s, window %d s%n", server.baseUrl(),
                server.pid().map(p -> " (child pid " + p + ")").orElse(" (external)"),
                Runtime.getRuntime().availableProcessors(), o.videoKbps, o.videoBytes, o.audioBytes, o.srtp, o.seconds);
        long baseHeap = server.measurable() ? server.heapAfterGc() : 0;
        ExecutorService setup = Executors.newFixedThreadPool(o.setupParallel);
        try {
            for (int target : o.ramp) {
                long t0 = System.nanoTime();
                int before = calls.size();
                addCalls(setup, target);
                System.out.printf(Locale.ROOT, "step %d: %d calls up (%d new in %.1f s, %d setups failed so far)%n",
                        target, calls.size(), calls.size() - before, (System.nanoTime() - t0) / 1e9, setupFailures.get());
                Thread.sleep(o.warmupSeconds * 1000L);
                Row r = measure(baseHeap);
                rows.add(r);
                System.out.println(Row.HEADER);
                System.out.println(r.line());
                if (r.lossPercent > o.stopLoss) {
                    System.out.printf(Locale.ROOT, "loss %.2f %% > %.2f %%: ramp stopped%n", r.lossPercent, o.stopLoss);
                    break;
                }
            }
            if (o.profile && server.measurable()) {
                System.out.println("server stack samples (runnable cskit-* threads, 300 x 10 ms, load still on):");
                server.sample(300, 10).forEach(l -> System.out.println("  " + l));
                System.out.println("client thread CPU since start (s): " + clientThreadCpu());
            }
        } finally {
            setup.shutdownNow();
        }
        report();
        media.close();
        for (Call c : calls) {
            c.close();
        }
        net.close();
    }

    private void addCalls(ExecutorService setup, int target) throws InterruptedException {
        List<Future<Call>> pending = new ArrayList<>();
        for (int i = calls.size(); i < target; i++) {
            int index = i;
            pending.add(setup.submit(() -> setupCall(index)));
        }
        for (Future<Call> f : pending) {
            try {
                calls.add(f.get());
            } catch (java.util.concurrent.ExecutionException e) {
                if (setupFailures.incrementAndGet() <= 5) {
                    System.out.println("call setup failed: " + e.getCause());
                }
            }
        }
    }

    private Row measure(long baseHeap) throws Exception {
        Snapshot a = snapshot();
        media.startWindow();
        Thread.sleep(o.seconds * 1000L);
        media.endWindow();
        Snapshot b = snapshot();
        Thread.sleep(1000); // stragglers of the window still count
        long[] counts = media.windowCounts();
        Histogram h = media.latencyInterval();
        Row r = new Row();
        double secs = (b.nanos - a.nanos) / 1e9;
        r.calls = calls.size();
        r.sentPps = (b.clientSent - a.clientSent) / secs;
        r.skipped = b.skipped - a.skipped;
        r.expected = counts[0];
        r.received = counts[1];
        r.lossPercent = counts[0] == 0 ? 0 : 100.0 * Math.max(0, counts[0] - counts[1]) / counts[0];
        r.p50 = h.getValueAtPercentile(50) / 1000.0;
        r.p99 = h.getValueAtPercentile(99) / 1000.0;
        r.p999 = h.getValueAtPercentile(99.9) / 1000.0;
        r.max = h.getMaxValue() / 1000.0;
        r.clientCpu = 100.0 * (b.clientCpuNanos - a.clientCpuNanos) / 1e9 / secs;
        r.machineBusy = 100.0 * (1 - (double) (b.machine[1] - a.machine[1]) / Math.max(1, b.machine[0] - a.machine[0]));
        r.rcvbufErrors = b.udp[0] - a.udp[0];
        r.sndbufErrors = b.udp[1] - a.udp[1];
        r.clientSendFull = b.clientSendFull - a.clientSendFull;
        if (server.measurable()) {
            r.serverCpu = 100.0 * (b.serverTicks - a.serverTicks) / ServerUnderTest.CLOCK_TICKS_PER_SECOND / secs;
            r.serverSys = 100.0 * (b.serverSysTicks - a.serverSysTicks) / ServerUnderTest.CLOCK_TICKS_PER_SECOND / secs;
            r.serverIn = (b.counters[0] - a.counters[0]) / secs;
            r.serverOut = (b.counters[1] - a.counters[1]) / secs;
            r.serverRefused = b.counters[2] - a.counters[2];
            // The network threads: cskit-io (HTTP, WebSocket) and cskit-udp (the media port's own loop). comm is
            // cut to 15 characters, so "cskit-io-3-1" and "cskit-udp-5-1" still group by their prefix.
            r.ioThreadCpu = 100.0 * (network(b.serverThreads, "cpu:") - network(a.serverThreads, "cpu:")) / 1e9 / secs;
            r.ioThreadWait = 100.0 * (network(b.serverThreads, "wait:") - network(a.serverThreads, "wait:")) / 1e9 / secs;
            r.rssMb = server.rssBytes() / 1048576.0;
            long heap = server.heapAfterGc();
            r.heapPerCallKb = r.calls == 0 ? 0 : (heap - baseHeap) / 1024.0 / r.calls;
        }
        return r;
    }

    private static long network(Map<String, Long> threads, String kind) {
        return threads.getOrDefault(kind + "cskit-io", 0L) + threads.getOrDefault(kind + "cskit-udp", 0L);
    }

    private Snapshot snapshot() throws IOException {
        Snapshot s = new Snapshot();
        s.nanos = System.nanoTime();
        s.clientSent = media.sent.sum();
        s.skipped = media.skipped.sum();
        s.clientSendFull = net.sendFull.sum();
        s.clientCpuNanos = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        s.machine = machineTicks();
        s.udp = udpErrors();
        if (server.measurable()) {
            long[] us = server.cpuUserSystemTicks();
            s.serverTicks = us[0] + us[1];
            s.serverSysTicks = us[1];
            s.counters = server.counters();
            s.serverThreads = server.threadCpu();
        }
        return s;
    }

    private static final class Snapshot {
        long nanos;
        long clientSent;
        long skipped;
        long clientSendFull;
        long clientCpuNanos;
        long serverTicks;
        long serverSysTicks;
        long[] machine;
        long[] udp;
        long[] counters;
        Map<String, Long> serverThreads = Map.of();
    }

    // ------------------------------------------------------------------ one call

    /** The four peers of one call and their streams. */
    private final class Call {
        final List<ClientPeer> peers = new ArrayList<>();
        final List<ClientNet.Endpoint> endpoints = new ArrayList<>();

        ClientPeer peer(ClientPeer.Role role) {
            ClientNet.Endpoint ep = net.open();
            ClientPeer p = ClientPeer.newBuilder(role)
                    .sender(ep::send)
                    .executor(handshakes)
                    .certificate(certificate)
                    .profiles(o.profiles())
                    .handshakeTimeout(Duration.ofSeconds(20))
                    .listener(role == ClientPeer.Role.PLAY ? media.receiver() : new ClientPeer.Listener() { })
                    .build();
            ep.attach(p);
            net.register(ep);
            peers.add(p);
            endpoints.add(ep);
            return p;
        }

        void close() {
            for (ClientPeer p : peers) {
                p.close();
            }
            for (ClientNet.Endpoint e : endpoints) {
                e.close();
            }
        }
    }

    private Call setupCall(int i) throws Exception {
        JsonNode s = api("POST", "/sessions", "{\"title\":\"load " + i + "\",\"customer_name\":\"Load Customer " + i + "\"}");
        String sid = s.get("id").asText();
        api("POST", "/sessions/" + sid + "/assign", "{\"agent_id\":\"load_agent_" + i + "\",\"agent_name\":\"Load Agent " + i + "\"}");
        JsonNode links = api("GET", "/sessions/" + sid + "/links", null);
        String agent = links.get("agent_id").asText();
        String customer = links.get("customer_id").asText();
        String agentToken = links.get("agent_token").asText();
        String customerToken = links.get("customer_token").asText();
        String prefix = "customer-service/" + sid + "/";
        Call call = new Call();
        try {
            ClientPeer agentPub = call.peer(ClientPeer.Role.PUBLISH);
            ClientPeer customerPub = call.peer(ClientPeer.Role.PUBLISH);
            ClientPeer agentPlay = call.peer(ClientPeer.Role.PLAY);
            ClientPeer customerPlay = call.peer(ClientPeer.Role.PLAY);
            negotiate(agentPub, "whip", prefix + agent, agentToken);
            negotiate(customerPub, "whip", prefix + customer, customerToken);
            negotiate(agentPlay, "whep", prefix + customer, agentToken);
            negotiate(customerPlay, "whep", prefix + agent, customerToken);
            for (ClientPeer p : call.peers) {
                p.connect();
            }
            // the first check may be lost under load: repeat it until DTLS is up
            CompletableFuture<Void> all = CompletableFuture.allOf(call.peers.stream()
                    .map(ClientPeer::connected).toArray(CompletableFuture[]::new));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!all.isDone() && System.nanoTime() < deadline) {
                try {
                    all.get(1, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    for (ClientPeer p : call.peers) {
                        if (p.stats().stunSucceeded() == 0) {
                            p.sendBindingRequest();
                        }
                    }
                }
            }
            all.get(0, TimeUnit.SECONDS);
            List<MediaLoad.Stream> streams = new ArrayList<>();
            for (ClientPeer p : List.of(agentPub, customerPub)) {
                int apt = p.answered("audio").orElseThrow().payloadType();
                int vpt = p.answered("video").orElseThrow().payloadType();
                streams.add(media.publish("audio", p, apt, p.audioSsrc(), o.audioBytes, 20_000_000L, 960));
                long videoInterval = (long) (o.videoBytes * 8 * 1e9 / (o.videoKbps * 1000.0));
                streams.add(media.publish("video", p, vpt, p.videoSsrc(), o.videoBytes, videoInterval,
                        90_000L * videoInterval / 1_000_000_000L));
            }
            for (MediaLoad.Stream st : streams) {
                st.active = true;
            }
            for (ClientPeer p : call.peers) {
                media.keepConsent(p);
            }
            return call;
        } catch (Exception | Error e) {
            call.close();
            throw e;
        }
    }

    private void negotiate(ClientPeer peer, String kind, String path, String token) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/webrtc/" + kind + "/" + path))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/sdp")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(peer.offer()))
                .build();
        HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 201) {
            throw new IOException(kind + " " + path + " -> " + res.statusCode() + " " + res.body());
        }
        peer.acceptAnswer(res.body());
    }

    private JsonNode api(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/customer-service" + path))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json");
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.method(method, HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> res = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode env = JSON.readTree(res.body());
        if (env.path("code").asInt(-1) != 0) {
            throw new IOException(method + " " + path + " -> " + res.statusCode() + " " + res.body());
        }
        return env.get("data");
    }

    // ------------------------------------------------------------------ machine counters

    /** /proc/stat "cpu" line: total and idle (idle + iowait) ticks of the whole machine. */
    private static long[] machineTicks() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < f.length; i++) {
            total += Long.parseLong(f[i]);
        }
        return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
    }

    /** /proc/net/snmp Udp RcvbufErrors and SndbufErrors (this network namespace: clients and server). */
    private static long[] udpErrors() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc/net/snmp"));
        for (int i = 0; i + 1 < lines.size(); i++) {
            if (lines.get(i).startsWith("Udp:") && lines.get(i + 1).startsWith("Udp:")) {
                List<String> k = Arrays.asList(lines.get(i).split("\\s+"));
                String[] v = lines.get(i + 1).split("\\s+");
                return new long[] {Long.parseLong(v[k.indexOf("RcvbufErrors")]), Long.parseLong(v[k.indexOf("SndbufErrors")])};
            }
        }
        return new long[] {0, 0};
    }

    private static Map<String, String> clientThreadCpu() {
        ThreadMXBean tmx = ManagementFactory.getThreadMXBean();
        Map<String, Long> ns = new TreeMap<>();
        for (ThreadInfo ti : tmx.getThreadInfo(tmx.getAllThreadIds())) {
            if (ti != null) {
                ns.merge(LoadServer.group(ti.getThreadName()), Math.max(0, tmx.getThreadCpuTime(ti.getThreadId())), Long::sum);
            }
        }
        Map<String, String> out = new TreeMap<>();
        ns.forEach((k, v) -> {
            if (v > 50_000_000L) {
                out.put(k, String.format(Locale.ROOT, "%.1f", v / 1e9));
            }
        });
        return out;
    }

    // ------------------------------------------------------------------ report

    private void report() throws IOException {
        Row best = null;
        for (Row r : rows) {
            if (r.lossPercent < LOSS_CEILING_PERCENT && (best == null || r.calls > best.calls)) {
                best = r;
            }
        }
        StringBuilder md = new StringBuilder();
        md.append("| calls | sent pps (clients) | server in pps | server out pps | loss % | delay p50 ms | p99 ms | p99.9 ms "
                + "| max ms | server CPU % of 1 core (of which kernel) | server CPU µs per forwarded packet | server CPU % of machine | network threads (cskit-io + cskit-udp) CPU % (run-queue wait %) | client CPU % of 1 core "
                + "| machine busy % | other processes % of 1 core | server heap/call KB | server RSS MB | UDP rcvbuf errors | pacer skipped |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            md.append(r.markdown()).append('\n');
        }
        md.append('\n').append(plot());
        md.append('\n').append(best == null
                ? "Ceiling: no step stayed under 0.1 % loss."
                : String.format(Locale.ROOT, "Ceiling: %d calls at %.3f %% loss (p99 %.2f ms), the most calls measured under 0.1 %% loss.",
                        best.calls, best.lossPercent, best.p99));
        md.append(String.format(Locale.ROOT, " Call setups failed: %d.%n", setupFailures.get()));
        System.out.println();
        System.out.println(md);
        if (o.markdown != null) {
            Files.writeString(Path.of(o.markdown), md.toString(), java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        }
    }

    /** An ASCII plot: one line per step, loss and p99 as bars on log-ish scales. */
    private String plot() {
        StringBuilder sb = new StringBuilder("```\ncalls  loss % (| = 0.1 % limit, log scale)          p99 ms (| = 5 ms target)\n");
        for (Row r : rows) {
            int lossBar = r.lossPercent <= 0.001 ? 0 : (int) Math.round(Math.max(0, Math.log10(r.lossPercent / 0.001) * 8));
            int p99Bar = (int) Math.round(Math.min(40, r.p99 * 4));
            sb.append(String.format(Locale.ROOT, "%5d  %-36s %7.3f   %-41s %7.2f%n", r.calls,
                    bar(Math.min(36, lossBar), 16), r.lossPercent, bar(p99Bar, 20), r.p99));
        }
        return sb.append("```\n").toString();
    }

    private static String bar(int n, int markAt) {
        char[] c = new char[Math.max(n, markAt + 1)];
        Arrays.fill(c, ' ');
        for (int i = 0; i < n; i++) {
            c[i] = '#';
        }
        c[markAt] = c[markAt] == '#' ? '+' : '|';
        return new String(c);
    }
}
