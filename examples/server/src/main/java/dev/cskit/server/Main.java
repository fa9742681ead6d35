/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import dev.cskit.api.CsConfig;
import dev.cskit.api.CustomerServicePlugin;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.room.RoomBus;
import dev.cskit.core.CustomerService;
import dev.cskit.core.auth.AdminGuard;
import dev.cskit.core.cluster.ClusterNode;
import dev.cskit.netty.HostCandidates;
import dev.cskit.netty.HostTls;
import dev.cskit.netty.IceTcp;
import dev.cskit.netty.NettyHost;
import dev.cskit.netty.NettyHostBuilder;
import dev.cskit.netty.UdpMediaPort;
import dev.cskit.store.redis.RedisNodeRegistry;
import dev.cskit.store.redis.RedisRoomBus;
import dev.cskit.store.redis.RedisSessionStore;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone cskit server: the customer-service plugin ({@code cs-core}, found with
 * {@link CustomerServicePlugin#load()}) on a {@link NettyHost}. See {@link CommandLine#USAGE}.
 */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err, System.in);
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * Runs the command line; returns the exit code (0 ok, 1 failed to start, 2 bad usage). For
     * {@code RUN} it returns once the server is up; a shutdown hook (SIGTERM, SIGINT) drains it for
     * {@code server.drain_timeout}, then closes it.
     */
    static int run(String[] args, PrintStream out, PrintStream err, InputStream in) {
        CommandLine cl;
        try {
            cl = CommandLine.parse(args);
        } catch (CommandLine.UsageException e) {
            err.println("error: " + e.getMessage());
            err.println(CommandLine.USAGE);
            return 2;
        }
        switch (cl.command()) {
            case HELP -> {
                out.println(CommandLine.USAGE);
                return 0;
            }
            case HASH_PASSWORD -> {
                return hashPassword(cl, out, err, in);
            }
            default -> {
                return serve(cl, err);
            }
        }
    }

    private static int hashPassword(CommandLine cl, PrintStream out, PrintStream err, InputStream in) {
        char[] pw;
        if (cl.password() != null) {
            pw = cl.password().toCharArray();
        } else {
            Console console = System.console();
            if (console != null && in == System.in) {
                pw = console.readPassword("password: ");
            } else {
                try {
                    String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
                    pw = line == null ? new char[0] : line.toCharArray();
                } catch (IOException e) {
                    err.println("error: cannot read the password: " + e.getMessage());
                    return 1;
                }
            }
        }
        if (pw == null || pw.length == 0) {
            err.println("error: the password must not be empty");
            return 2;
        }
        out.println(PasswordHasher.hash(pw));
        return 0;
    }

    /** Resolves the configuration: embedded defaults, then the file, then the command-line flags. */
    static ConfigLoader.Loaded resolve(CommandLine cl) throws ConfigException {
        ConfigLoader.Loaded loaded = cl.configFile() != null ? ConfigLoader.load(cl.configFile()) : ConfigLoader.defaults();
        ServerConfig server = loaded.server();
        if (cl.port() != null) {
            server = server.withPort(cl.port());
        }
        if (cl.mediaPort() != null) {
            server = server.withMediaPort(cl.mediaPort());
        }
        if (cl.publicIp() != null) {
            server = server.withPublicIps(ServerConfig.parsePublicIps(cl.publicIp()));
        }
        if (cl.tlsCert() != null || cl.tlsSelfSigned()) {
            server = server.withWeb(server.web().withTls(new ServerConfig.Tls(cl.tlsCert(), cl.tlsKey(),
                    cl.tlsSelfSigned())));
        }
        if (server.web().httpRedirectPort() != null && server.web().tls() == null) {
            throw new ConfigException("server.http_redirect_port redirects to HTTPS: set server.tls (or --tls-cert and "
                    + "--tls-key, or --tls-self-signed) too");
        }
        CsConfig cs = loaded.customerService();
        if (cl.dataDir() != null) {
            cs = cs.toBuilder().dataDir(cl.dataDir()).build();
        }
        return new ConfigLoader.Loaded(server, cs, loaded.cluster());
    }

    private static int serve(CommandLine cl, PrintStream err) {
        ConfigLoader.Loaded config;
        try {
            config = resolve(cl);
        } catch (ConfigException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        ServerConfig server = config.server();
        CsConfig cs = config.customerService();
        ClusterConfig cluster = config.cluster();
        RedisSessionStore shared = null;
        RedisRoomBus roomBus = null;
        RedisNodeRegistry nodes = null;
        CustomerServicePlugin plugin;
        try {
            if (cluster != null) {
                shared = connect(cluster);
                roomBus = RedisRoomBus.newBuilder(cluster.redis()).nodeId(cluster.nodeId()).connect();
                nodes = RedisNodeRegistry.connect(cluster.redis(), RedisSessionStore.DEFAULT_PREFIX,
                        RedisNodeRegistry.DEFAULT_TTL, RedisSessionStore.DEFAULT_TIMEOUT, java.time.Clock.systemUTC());
                plugin = new ClusterNode(CustomerService.newBuilder().sessionStore(shared).build(), nodes,
                        cluster.nodeId(), cluster.publicUrl());
            } else {
                plugin = CustomerServicePlugin.load();
            }
        } catch (IllegalStateException | IOException e) {
            err.println("error: " + e.getMessage());
            if (shared != null) {
                shared.close();
            }
            if (roomBus != null) {
                roomBus.close();
            }
            return 1;
        }
        Server running;
        try {
            running = start(server, cs, plugin, roomBus);
        } catch (Exception e) {
            LOG.error("cskit failed to start: {}", e.getMessage(), e);
            if (shared != null) {
                shared.close(); // the plugin closes it once started; here it may never have been
            }
            if (roomBus != null) {
                roomBus.close(); // idem, the host
            }
            if (nodes != null) {
                nodes.close();
            }
            return 1;
        }
        Duration grace = server.drainTimeout();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> running.drain(grace), "cskit-shutdown"));
        String base = (running.host().secure() ? "https" : "http") + "://localhost:" + running.host().port();
        LOG.info("cskit ready: admin dashboard {}/admin/ , demo {}/ (WebRTC media on udp/{} as {}{}, data in {})",
                base, base, running.media().boundPorts().stream().map(String::valueOf)
                        .collect(java.util.stream.Collectors.joining(",")), advertised(running.media()),
                running.media().boundTcpPorts().isEmpty() ? "" : " and ICE-TCP on tcp/" + running.media()
                        .boundTcpPorts().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",")),
                cs.dataDir().map(Object::toString).orElse("memory"));
        LOG.info("operations: {}/healthz, {}/readyz, {}{} (admin token{}, or loopback without one); on SIGTERM calls "
                + "in progress get {} s to end", base, base, base, MetricsEndpoint.PATH,
                server.metricsToken() == null ? "" : " or metrics_token", grace.toSeconds());
        return 0;
    }

    // Every advertised address of the first media socket (the others advertise the same ones with their ports).
    private static String advertised(UdpMediaPort media) {
        return media.sockets().isEmpty() ? "nothing" : media.sockets().get(0).candidates().stream()
                .map(a -> a.getAddress() instanceof java.net.Inet6Address
                        ? "[" + a.getAddress().getHostAddress().replaceFirst("%.*", "") + "]"
                        : a.getAddress().getHostAddress())
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /** The session store of a cluster node: the Redis of {@code cluster.redis}, under this node's id. */
    static RedisSessionStore connect(ClusterConfig cluster) throws IOException {
        RedisSessionStore store = RedisSessionStore.newBuilder(cluster.redis()).nodeId(cluster.nodeId()).connect();
        LOG.info("cluster node {}: sessions in Redis at {}{}", cluster.nodeId(),
                RedisSessionStore.withoutPassword(cluster.redis()),
                cluster.publicUrl() == null ? "" : ", reached by the other nodes at " + cluster.publicUrl());
        return store;
    }

    private static HostTls tls(ServerConfig.Tls t) throws IOException {
        if (!t.selfSigned()) {
            return HostTls.fromPemFiles(t.cert(), t.key());
        }
        HostTls tls = HostTls.selfSigned();
        LOG.warn("TLS with a throwaway self-signed certificate: browsers will warn until the user accepts it; compare "
                + "its SHA-256 fingerprint {} (names {}). Use --tls-cert/--tls-key for real users",
                tls.fingerprint(), tls.names());
        return tls;
    }

    /**
     * A running server: the host (HTTP, WebSocket, pages, health), its media ports and its metrics. Closing it shuts
     * them down.
     */
    public record Server(NettyHost host, UdpMediaPort media, PrometheusMetrics metrics) implements AutoCloseable {
        @Override
        public void close() {
            host.close();
            metrics.close();
        }

        /**
         * A graceful stop: {@code /readyz} answers 503 and new sessions are refused at once, calls in progress get
         * up to {@code grace} to end by themselves, the rest end with reason {@code shutdown}, then it closes.
         */
        public void drain(Duration grace) {
            host.drain(grace);
            metrics.close();
        }
    }

    /**
     * Starts the standalone server: a {@link NettyHost} with the pages, the UDP media ports (one loop each),
     * {@code GET /metrics} (Micrometer's Prometheus registry, which the host and the plugin record into), and
     * {@code plugin}.
     * Port 0 in {@code server} (HTTP or media) picks a free port; read it from the result.
     *
     * @throws Exception if a port cannot be bound or the plugin cannot start; nothing is left running
     */
    public static Server start(ServerConfig server, CsConfig cs, CustomerServicePlugin plugin) throws Exception {
        return start(server, cs, plugin, null);
    }

    /**
     * {@link #start(ServerConfig, CsConfig, CustomerServicePlugin)} for a cluster node: its rooms shared through
     * {@code roomBus} (the host closes it), or null for rooms of this node only.
     */
    public static Server start(ServerConfig server, CsConfig cs, CustomerServicePlugin plugin,
                               @Nullable RoomBus roomBus) throws Exception {
        PrometheusMetrics metrics = new PrometheusMetrics();
        UdpMediaPort media = UdpMediaPort.range(server.mediaPort(), server.mediaPorts(), server.publicIps().isEmpty()
                ? HostCandidates.interfaces() : HostCandidates.fixed(server.publicIps()), UdpMediaPort.Transport.AUTO)
                .withIceTcp(server.mediaTcpPort() == ServerConfig.MEDIA_TCP_OFF ? null
                        : IceTcp.defaults().withFirstPort(server.mediaTcpPort()));
        ServerConfig.Web web = server.web();
        NettyHostBuilder builder = NettyHost.newBuilder()
                .port(server.port())
                .heartbeatTimeout(server.heartbeatTimeout())
                .trustedProxies(web.trustedProxies())
                .headerTimeout(web.headerTimeout())
                .bodyTimeout(web.bodyTimeout())
                .component(media)
                .meters(metrics.meters());
        if (web.tls() != null) {
            builder.tls(tls(web.tls()));
            if (web.httpRedirectPort() != null) {
                builder.httpRedirectPort(web.httpRedirectPort());
            }
        }
        if (roomBus != null) {
            builder.roomBus(roomBus);
        }
        NettyHost host = builder.build();
        host.add("GET", MetricsEndpoint.PATH, new MetricsEndpoint(metrics, new AdminGuard(cs.adminToken().orElse(null)),
                server.metricsToken()));
        try {
            host.start();
            host.startPlugin(plugin, cs);
        } catch (Exception | Error e) {
            host.close();
            metrics.close();
            throw e;
        }
        return new Server(host, media, metrics);
    }
}
