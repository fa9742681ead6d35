/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.bench.load;

import dev.cskit.netty.NettyMediaTransport;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The floor the harness measures cskit against, in a child JVM: a raw UDP relay on the same transport as the media
 * server ({@link NettyMediaTransport}: epoll, {@code recvmmsg} in batches of 16, the batch's sends flushed with one
 * {@code sendmmsg}), one socket and loop thread ({@code relay-udp-<i>}) per {@code args[0]}, that sends each
 * datagram unchanged to the address mapped to its sender: no crypto, no parsing, one hash lookup. Prints
 * {@code READY 0 <port>...}, then answers {@link ChildServer}'s commands and {@code map <socket> <fromPort>
 * <toPort>} (127.0.0.1 ports; set on the socket's loop).
 */
public final class RelayServer {

    private RelayServer() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        List<EventLoopGroup> groups = new ArrayList<>();
        List<NettyMediaTransport> sockets = new ArrayList<>();
        List<Map<InetSocketAddress, InetSocketAddress>> maps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            EventLoopGroup g = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("relay-udp-" + i),
                    Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
            groups.add(g);
            NettyMediaTransport s = NettyMediaTransport.bind(g, new InetSocketAddress("127.0.0.1", 0), "127.0.0.1");
            Map<InetSocketAddress, InetSocketAddress> map = new HashMap<>(); // the socket's loop only
            s.setReceiver((buf, off, len, from) -> {
                InetSocketAddress to = map.get(from);
                if (to != null) {
                    s.send(buf, off, len, to);
                }
            });
            sockets.add(s);
            maps.add(map);
        }
        ChildServer child = new ChildServer(sockets);
        out.println("READY 0 " + sockets.stream().map(s -> String.valueOf(s.localAddress().getPort()))
                .collect(Collectors.joining(" ")));
        out.flush();
        child.serve(out, f -> {
            if (!f[0].equals("map") || f.length != 4) {
                return List.of("error unknown command " + String.join(" ", f));
            }
            int i = Integer.parseInt(f[1]);
            InetSocketAddress from = new InetSocketAddress("127.0.0.1", Integer.parseInt(f[2]));
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", Integer.parseInt(f[3]));
            sockets.get(i).execute(() -> maps.get(i).put(from, to));
            return List.of();
        });
        sockets.forEach(NettyMediaTransport::close);
        groups.forEach(EventLoopGroup::shutdownGracefully);
    }
}
