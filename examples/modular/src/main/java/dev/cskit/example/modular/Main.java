/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.example.modular;

import dev.cskit.api.CsConfig;
import dev.cskit.api.CustomerServicePlugin;
import dev.cskit.netty.NettyHost;
import dev.cskit.netty.UdpMediaPort;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * The smallest modular embedder: the customer-service plugin, found through {@link CustomerServicePlugin#load()},
 * on a {@link NettyHost} with a WebRTC media port, everything on the module path. It listens on 127.0.0.1 only (HTTP
 * and media on free ports), keeps sessions in memory unless given a data directory, prints one ready line with its
 * ports, the plugin and the cskit modules it runs on, and stops on SIGTERM.
 *
 * <pre>
 * java --module-path &lt;the jars&gt; --module dev.cskit.example.modular/dev.cskit.example.modular.Main [data-dir]
 * </pre>
 */
public final class Main {

    /** The start of the ready line; {@code ModulePathIT} reads the rest. */
    public static final String READY = "modular example ready:";

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        CsConfig config = CsConfig.newBuilder().dataDir(args.length > 0 ? Path.of(args[0]) : null).build();
        CustomerServicePlugin plugin = CustomerServicePlugin.load();
        UdpMediaPort media = new UdpMediaPort(0, "127.0.0.1");
        NettyHost host = NettyHost.newBuilder()
                .bindAddress("127.0.0.1")
                .port(0)
                .staticRoot(null)
                .component(media)
                .build();
        try {
            host.start();
            host.startPlugin(plugin, config);
        } catch (Exception | Error e) {
            host.close();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(host::close, "modular-example-stop"));
        System.out.println(READY + " http " + host.port() + ", media " + media.boundPort() + ", plugin "
                + plugin.getClass().getModule().getName() + "/" + plugin.getClass().getName() + ", modules "
                + cskitModules());
    }

    /** The cskit modules of the boot layer, sorted, each with " (automatic)" if it has no module descriptor. */
    private static String cskitModules() {
        return ModuleLayer.boot().modules().stream()
                .map(Module::getDescriptor)
                .filter(d -> d.name().startsWith("dev.cskit."))
                .sorted()
                .map(d -> d.name() + (d.isAutomatic() ? " (automatic)" : ""))
                .collect(Collectors.joining(" "));
    }
}
