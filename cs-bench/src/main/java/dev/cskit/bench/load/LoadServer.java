/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.bench.load;

import dev.cskit.api.CsConfig;
import dev.cskit.api.CustomerServicePlugin;
import dev.cskit.core.CustomerService;
import dev.cskit.media.whip.MediaEngine;
import dev.cskit.netty.NettyHost;
import dev.cskit.netty.UdpMediaPort;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The server under load, in a child JVM of {@link LoadHarness}: assembled as {@code dev.cskit.server.Main.start}
 * does it (a {@link NettyHost} on 127.0.0.1 with a {@link UdpMediaPort} of {@code args[0]} sockets, one media
 * loop each, and the customer-service plugin from {@link CustomerServicePlugin#load()}), in-memory sessions, no
 * admin token. Prints {@code READY <httpPort> <mediaPort>...} on stdout, then answers {@link ChildServer}'s
 * commands and {@code engine}: the media engine's counters ({@code counter <name> <value>}) and pipeline stages
 * ({@code stage <name> <in> <out> <dropped>}).
 */
public final class LoadServer {

    private LoadServer() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        int loops = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        CsConfig cs = CsConfig.newBuilder()
                .maxSessions(100_000)
                .sessionTimeout(Duration.ofHours(2))
                .build();
        // -Dcskit.media.transport=nio (through --server-jvm) measures the NIO port on a machine that has epoll.
        UdpMediaPort.Transport transport = UdpMediaPort.Transport.valueOf(
                System.getProperty("cskit.media.transport", "auto").toUpperCase(Locale.ROOT));
        UdpMediaPort media = UdpMediaPort.range(0, loops, "127.0.0.1", transport);
        NettyHost host = NettyHost.newBuilder()
                .bindAddress("127.0.0.1")
                .port(0)
                .heartbeatTimeout(Duration.ofSeconds(60))
                .component(media)
                .build();
        CustomerServicePlugin plugin = CustomerServicePlugin.load();
        try {
            host.start();
            host.startPlugin(plugin, cs);
        } catch (Exception | Error e) {
            host.close();
            throw e;
        }
        ChildServer child = new ChildServer(media.nettySockets());
        out.println("READY " + host.port() + " "
                + media.boundPorts().stream().map(String::valueOf).collect(Collectors.joining(" ")));
        out.flush();
        MediaEngine engine = ((CustomerService) plugin).media().orElseThrow().engine();
        child.serve(out, f -> {
            if (!f[0].equals("engine")) {
                return List.of("error unknown command " + f[0]);
            }
            List<String> lines = new ArrayList<>();
            engine.counters().forEach((c, v) -> lines.add("counter " + c + " " + v));
            engine.stages().forEach((st, v) -> lines.add("stage " + st + " " + v.in() + " " + v.out() + " " + v.dropped()));
            return lines;
        });
        host.close();
    }
}
