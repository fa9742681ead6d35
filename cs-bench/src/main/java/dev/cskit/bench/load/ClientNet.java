/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.bench.load;

import dev.cskit.testkit.ClientPeer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The clients' sockets: one non-blocking {@link DatagramChannel} per {@link ClientPeer}, bound to 127.0.0.1 on an
 * ephemeral port (the server tells peers apart by address), served by a few selector threads ({@code load-rx-N})
 * that feed every datagram to the owning peer's {@link ClientPeer#receive}. So each peer is received on one thread,
 * as {@link ClientPeer} requires, and thousands of peers need no more threads.
 *
 * <p>Thread-safe: {@link #open} from any thread; an endpoint's {@link Endpoint#send} from any thread (a
 * {@code DatagramChannel} serialises concurrent sends).
 */
final class ClientNet implements AutoCloseable {

    private static final int SOCKET_BUFFER = 1 << 20;

    private final Loop[] loops;
    private final AtomicInteger next = new AtomicInteger();
    final LongAdder sendFull = new LongAdder();
    final LongAdder sendErrors = new LongAdder();
    final LongAdder received = new LongAdder();

    ClientNet(int threads) throws IOException {
        loops = new Loop[threads];
        for (int i = 0; i < threads; i++) {
            loops[i] = new Loop(Selector.open());
            Thread t = new Thread(loops[i], "load-rx-" + i);
            t.setDaemon(true);
            t.start();
        }
    }

    /** A peer's socket. {@link #attach} the peer, then {@link ClientNet#register} the endpoint. */
    final class Endpoint {
        final DatagramChannel channel;
        volatile ClientPeer peer;

        Endpoint() throws IOException {
            channel = DatagramChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER);
            channel.bind(new InetSocketAddress("127.0.0.1", 0));
        }

        /** {@link ClientPeer.Sender}: the kernel copies the datagram before {@code send} returns. */
        void send(byte[] buf, int off, int len, InetSocketAddress to) {
            try {
                if (channel.send(ByteBuffer.wrap(buf, off, len), to) == 0) {
                    sendFull.increment();
                }
            } catch (IOException e) {
                sendErrors.increment();
            }
        }

        void attach(ClientPeer p) {
            this.peer = p;
        }

        void close() {
            try {
                channel.close();
            } catch (IOException e) {
                // closing a datagram socket does not fail in a way worth reporting here
            }
        }
    }

    Endpoint open() {
        try {
            return new Endpoint();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a client UDP socket on 127.0.0.1", e);
        }
    }

    /** Starts reading the endpoint's datagrams on one of the selector threads. */
    void register(Endpoint e) {
        Loop l = loops[Math.floorMod(next.getAndIncrement(), loops.length)];
        l.pending.add(e);
        l.selector.wakeup();
    }

    @Override
    public void close() {
        for (Loop l : loops) {
            l.running = false;
            l.selector.wakeup();
        }
    }

    private final class Loop implements Runnable {
        final Selector selector;
        final Queue<Endpoint> pending = new ConcurrentLinkedQueue<>();
        volatile boolean running = true;
        private final ByteBuffer buf = ByteBuffer.allocateDirect(2048);
        private final byte[] scratch = new byte[2048];

        Loop(Selector selector) {
            this.selector = selector;
        }

        @Override
        public void run() {
            try {
                while (running) {
                    selector.select();
                    Endpoint e;
                    while ((e = pending.poll()) != null) {
                        e.channel.register(selector, SelectionKey.OP_READ, e);
                    }
                    for (SelectionKey k : selector.selectedKeys()) {
                        if (k.isValid() && k.isReadable()) {
                            drain((Endpoint) k.attachment());
                        }
                    }
                    selector.selectedKeys().clear();
                }
                selector.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void drain(Endpoint e) {
            ClientPeer p = e.peer;
            for (int i = 0; i < 64; i++) {
                buf.clear();
                try {
                    if (e.channel.receive(buf) == null) {
                        return;
                    }
                } catch (IOException ex) {
                    return;
                }
                buf.flip();
                int n = buf.remaining();
                buf.get(scratch, 0, n);
                received.increment();
                p.receive(scratch, 0, n);
            }
        }
    }
}
