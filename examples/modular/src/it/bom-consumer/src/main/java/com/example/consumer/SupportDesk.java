/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package com.example.consumer;

import dev.cskit.api.CsConfig;
import dev.cskit.api.CustomerServicePlugin;
import dev.cskit.netty.NettyHost;

/** An application that embeds cskit: the plugin found on the class path, on the Netty host, sessions in memory. */
public final class SupportDesk {

    private SupportDesk() {
    }

    /** Starts cskit on 127.0.0.1 and a free port; close the host to stop it. */
    public static NettyHost start() throws Exception {
        CustomerServicePlugin plugin = CustomerServicePlugin.load();
        NettyHost host = NettyHost.newBuilder().bindAddress("127.0.0.1").port(0).staticRoot(null).build();
        try {
            host.start();
            host.startPlugin(plugin, CsConfig.newBuilder().dataDir(null).build());
        } catch (Exception | Error e) {
            host.close();
            throw e;
        }
        return host;
    }
}
