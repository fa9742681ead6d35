/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.media.stun.PacketKind;
import dev.cskit.testkit.IceClient;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A connectivity check over real UDP sockets on 127.0.0.1, driven the way an integrator would. */
class IceLiteAgentUdpIT {
    @Test
    void answersACheckOverLoopbackUdpAndRoutesByUfrag() throws Exception {
        SecureRandom random = new SecureRandom();
        IceCredentials server = IceCredentials.random(random);
        IceCredentials peer = IceCredentials.random(random);
        IceLiteAgent agent = new IceLiteAgent(server, peer);
        IceClient client = new IceClient(peer, server, random.nextLong());
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (DatagramSocket serverSocket = new DatagramSocket(new InetSocketAddress(loopback, 0));
                DatagramSocket clientSocket = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
            serverSocket.setSoTimeout(5_000);
            clientSocket.setSoTimeout(5_000);
            byte[] tx = new byte[12];
            random.nextBytes(tx);
            byte[] req = new byte[512];
            int n = client.writeBindingRequest(req, 0, tx, 2130706431L, true);
            clientSocket.send(new DatagramPacket(req, n, serverSocket.getLocalSocketAddress()));

            byte[] in = new byte[1500];
            DatagramPacket got = new DatagramPacket(in, in.length);
            serverSocket.receive(got);
            assertEquals(PacketKind.STUN, PacketKind.classify(in, 0, got.getLength()));
            assertEquals(Optional.of(server.ufrag()), IceLiteAgent.localUfragOf(in, 0, got.getLength()));
            InetSocketAddress from = (InetSocketAddress) got.getSocketAddress();
            byte[] out = new byte[1500];
            IceResult r = agent.handle(in, 0, got.getLength(), from, System.nanoTime(), out, 0);
            assertEquals(IceResult.SUCCESS, r);
            serverSocket.send(new DatagramPacket(out, agent.responseLength(), from));

            DatagramPacket resp = new DatagramPacket(new byte[1500], 1500);
            clientSocket.receive(resp);
            IceClient.Response verified = client.verifyResponse(resp.getData(), 0, resp.getLength(), tx);
            assertEquals(IceClient.Outcome.SUCCESS, verified.outcome());
            assertEquals(Optional.of(clientSocket.getLocalSocketAddress()), verified.mappedAddress());
            assertEquals(Optional.of(from), agent.selectedAddress());
            assertTrue(agent.isNominated());
        }
    }
}
