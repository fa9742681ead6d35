/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import dev.cskit.api.CsConfig;
import dev.cskit.api.CustomerServicePlugin;
import dev.cskit.netty.NettyHost;
import dev.cskit.netty.UdpMediaPort;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
     * {@code RUN} it returns once the server is up; a shutdown hook closes it.
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
        CsConfig cs = loaded.customerService();
        if (cl.dataDir() != null) {
            cs = cs.toBuilder().dataDir(cl.dataDir()).build();
        }
        return new ConfigLoader.Loaded(server, cs);
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
        if (cs.agents().isEmpty()) {
            LOG.warn("no agents configured: nobody can log in as an agent. Add customer_service.agents "
                    + "(id, name, password_hash from 'java -jar cs-server.jar hash-password') to a --config file");
        }
        CustomerServicePlugin plugin;
        try {
            plugin = CustomerServicePlugin.load();
        } catch (IllegalStateException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
        Server running;
        try {
            running = start(server, cs, plugin);
        } catch (Exception e) {
            LOG.error("cskit failed to start: {}", e.getMessage(), e);
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(running::close, "cskit-shutdown"));
        String base = "http://localhost:" + running.host().port();
        LOG.info("cskit ready: admin dashboard {}/admin/ , demo {}/ (WebRTC media on udp/{} as {}, data in {})",
                base, base, running.media().boundPorts().stream().map(String::valueOf)
                        .collect(java.util.stream.Collectors.joining(",")), server.publicIp(),
                cs.dataDir().map(Object::toString).orElse("memory"));
        return 0;
    }

    /** A running server: the host (HTTP, WebSocket, pages) and its media ports. Closing it shuts both down. */
    public record Server(NettyHost host, UdpMediaPort media) implements AutoCloseable {
        @Override
        public void close() {
            host.close();
        }
    }

    /**
     * Starts the standalone server: a {@link NettyHost} with the pages, the UDP media ports (one loop each), and
     * {@code plugin}.
     * Port 0 in {@code server} (HTTP or media) picks a free port; read it from the result.
     *
     * @throws Exception if a port cannot be bound or the plugin cannot start; nothing is left running
     */
    public static Server start(ServerConfig server, CsConfig cs, CustomerServicePlugin plugin) throws Exception {
        UdpMediaPort media = UdpMediaPort.range(server.mediaPort(), server.mediaPorts(), server.publicIp(),
                UdpMediaPort.Transport.AUTO);
        NettyHost host = NettyHost.newBuilder()
                .port(server.port())
                .heartbeatTimeout(server.heartbeatTimeout())
                .component(media)
                .build();
        try {
            host.start();
            host.startPlugin(plugin, cs);
        } catch (Exception | Error e) {
            host.close();
            throw e;
        }
        return new Server(host, media);
    }
}
