/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.api.media.MediaTransport;
import io.netty.channel.epoll.Epoll;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The UDP media port on real loopback sockets, on both transports: the receiver sees every datagram intact,
 * replies sent from the event loop during a read (batched, flushed when the read ends) and sends from other
 * threads (flushed at once) all go out, and close releases the port and its thread.
 */
class UdpMediaPortIT {

    private NettyHost host;
    private UdpMediaPort port;

    @AfterEach
    void tearDown() {
        if (host != null) {
            host.close();
        }
    }

    private void start(UdpMediaPort.Transport transport) throws Exception {
        port = new UdpMediaPort(0, "127.0.0.1", transport);
        host = NettyHost.newBuilder().bindAddress("127.0.0.1").port(0).component(port).build().start();
    }

    private InetSocketAddress portAddress() {
        return new InetSocketAddress("127.0.0.1", port.boundPort());
    }

    @Test
    void autoUsesNativeEpollWhereNettyHasItAndNioOtherwise() throws Exception {
        start(UdpMediaPort.Transport.AUTO);
        assertEquals(Epoll.isAvailable(), port.isNative(), String.valueOf(Epoll.unavailabilityCause()));
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        if (os.contains("linux") && ("amd64".equals(arch) || "x86_64".equals(arch))) {
            // The build ships the linux-x86_64 native library: on such a machine it must load.
            assertTrue(port.isNative(), "native epoll did not load: " + Epoll.unavailabilityCause());
        }
    }

    @Test
    void nioWhenAsked() throws Exception {
        start(UdpMediaPort.Transport.NIO);
        assertFalse(port.isNative());
    }

    @ParameterizedTest
    @EnumSource(UdpMediaPort.Transport.class)
    void echoesBurstsFromTheEventLoopIntactAndInOrder(UdpMediaPort.Transport transport) throws Exception {
        start(transport);
        // Echo every datagram back from the receiver, i.e. from the event loop inside a read batch.
        MediaTransport.MediaSocket socket = port.sockets().get(0);
        socket.setReceiver((buf, off, len, from) -> socket.send(buf, off, len, from));
        // The forwarding-delay probe sees every echo, in batches, each sent after it was read.
        java.util.concurrent.atomic.AtomicLong probed = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean backwards = new java.util.concurrent.atomic.AtomicBoolean();
        port.nettySockets().get(0).probe((read, sent, n) -> {
            backwards.compareAndSet(false, sent < read);
            synchronized (probed) {
                probed.addAndGet(n);
                probed.notifyAll();
            }
        });
        int count = 500; // several recvmmsg batches, sent faster than one per read
        try (DatagramChannel client = client()) {
            for (int i = 0; i < count; i++) {
                client.send(payload(i, 100 + i % 1100), portAddress());
            }
            Set<Integer> seen = new HashSet<>();
            int last = -1;
            boolean ordered = true;
            ByteBuffer in = ByteBuffer.allocate(2048);
            while (seen.size() < count) {
                in.clear();
                InetSocketAddress from = receive(client, in);
                assertNotNull(from, "only " + seen.size() + " of " + count + " echoes came back");
                assertEquals(portAddress(), from);
                in.flip();
                int seq = in.getInt(0);
                byte[] got = new byte[in.remaining()];
                in.get(got);
                assertArrayEquals(payload(seq, 100 + seq % 1100).array(), got, "echo " + seq);
                ordered &= seq > last;
                last = seq;
                seen.add(seq);
            }
            // Loopback does not reorder, and neither may the batching.
            assertTrue(ordered, "echoes came back out of order");
            // The probe hears of the last batch just after its flush: wait for it.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            synchronized (probed) {
                while (probed.get() < count && System.nanoTime() < deadline) {
                    probed.wait(100);
                }
            }
            assertEquals(count, probed.get(), "the probe counted every forwarded datagram");
            assertFalse(backwards.get(), "a batch was sent before it was read");
        }
    }

    @ParameterizedTest
    @EnumSource(UdpMediaPort.Transport.class)
    void sendsFromOtherThreadsGoOutWithoutWaitingForARead(UdpMediaPort.Transport transport) throws Exception {
        start(transport);
        try (DatagramChannel client = client()) {
            InetSocketAddress to = (InetSocketAddress) client.getLocalAddress();
            CountDownLatch sent = new CountDownLatch(2);
            for (int t = 0; t < 2; t++) {
                int base = t * 1000;
                new Thread(() -> {
                    for (int i = 0; i < 50; i++) {
                        port.sockets().get(0).send(payload(base + i, 200).array(), 0, 200, to);
                    }
                    sent.countDown();
                }, "sender-" + t).start();
            }
            assertTrue(sent.await(10, TimeUnit.SECONDS));
            ByteBuffer in = ByteBuffer.allocate(2048);
            for (int i = 0; i < 100; i++) {
                in.clear();
                assertNotNull(receive(client, in), "only " + i + " of 100 datagrams arrived");
                assertEquals(200, in.position());
            }
        }
    }

    @Test
    void eachPortHasItsOwnLoopThreadAndCandidate() throws Exception {
        port = UdpMediaPort.range(0, 2, "127.0.0.1", UdpMediaPort.Transport.AUTO);
        host = NettyHost.newBuilder().bindAddress("127.0.0.1").port(0).component(port).build().start();
        assertEquals(2, port.sockets().size());
        List<Integer> bound = port.boundPorts();
        assertEquals(2, new HashSet<>(bound).size(), "two distinct ports: " + bound);
        Map<Integer, String> threadByPort = new ConcurrentHashMap<>();
        CountDownLatch got = new CountDownLatch(2);
        for (int i = 0; i < 2; i++) {
            MediaTransport.MediaSocket s = port.sockets().get(i);
            assertEquals(List.of(new InetSocketAddress("127.0.0.1", bound.get(i))), s.candidates());
            assertFalse(s.inLoop());
            int p = bound.get(i);
            s.setReceiver((buf, off, len, from) -> {
                assertTrue(s.inLoop());
                threadByPort.put(p, Thread.currentThread().getName());
                got.countDown();
            });
        }
        try (DatagramChannel client = client()) {
            for (int p : bound) {
                client.send(payload(1, 10), new InetSocketAddress("127.0.0.1", p));
            }
            assertTrue(got.await(10, TimeUnit.SECONDS), "each socket received its datagram: " + threadByPort);
        }
        assertEquals(2, new HashSet<>(threadByPort.values()).size(), "one thread per socket: " + threadByPort);
        assertTrue(threadByPort.get(bound.get(0)).startsWith("cskit-udp-0"), threadByPort.toString());
        assertTrue(threadByPort.get(bound.get(1)).startsWith("cskit-udp-1"), threadByPort.toString());
    }

    @Test
    void closeReleasesThePortAndItsThread() throws Exception {
        start(UdpMediaPort.Transport.AUTO);
        InetSocketAddress bound = portAddress();
        host.close();
        host = null;
        assertEquals(0, Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("cskit-udp") && t.isAlive())
                .filter(t -> {
                    try {
                        t.join(5000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return t.isAlive();
                }).count(), "the media thread outlived close");
        try (DatagramChannel again = DatagramChannel.open()) {
            again.bind(bound); // free again
        }
    }

    private static DatagramChannel client() throws IOException {
        DatagramChannel c = DatagramChannel.open();
        c.bind(new InetSocketAddress("127.0.0.1", 0));
        c.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4 << 20);
        c.socket().setSoTimeout(5000);
        return c;
    }

    /** Blocks up to the socket's timeout for one datagram; null if none came. */
    private static InetSocketAddress receive(DatagramChannel c, ByteBuffer into) throws IOException {
        // DatagramChannel.receive ignores SO_TIMEOUT; read through its socket's timeout instead.
        java.net.DatagramPacket p = new java.net.DatagramPacket(into.array(), into.capacity());
        try {
            c.socket().receive(p);
        } catch (SocketTimeoutException e) {
            return null;
        }
        into.position(p.getLength());
        return (InetSocketAddress) p.getSocketAddress();
    }

    private static ByteBuffer payload(int seq, int len) {
        ByteBuffer b = ByteBuffer.allocate(len);
        b.putInt(seq);
        for (int i = 4; i < len; i++) {
            b.put((byte) (seq * 31 + i));
        }
        return b.flip();
    }
}
