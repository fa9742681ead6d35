/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The network-namespace harness ({@link NetNs}, {@code examples/e2e/netns.sh}) does what the tests built on it
 * rely on: the namespace has only {@code lo} and the veth pair, with no route out of the veth's subnet; a
 * listener on the veth address answers from inside; an nftables drop rule really drops UDP to a port (an echo
 * stops answering, the rule counts the datagrams) and deleting it restores the echo; and closing the harness
 * stops everything it started. The probes are {@code examples/e2e/netns-probe.mjs}.
 */
@Timeout(60)
class NetNsIT {

    static final String CIDR = "198.18.0.1/24";
    static final Duration PROBE = Duration.ofSeconds(15);

    @TempDir
    Path tmp;

    @Test
    void namespaceHasOnlyLoopbackAndTheVethAndNoRouteOut() throws Exception {
        try (NetNs ns = NetNs.create(CIDR)) {
            NetNs.Result links = ns.run(PROBE, List.of("ip", "-o", "link", "show"));
            assertEquals(0, links.exitCode(), links.output());
            List<String> names = links.output().lines().map(l -> l.split(":\\s+")[1].replaceAll("@.*", "")).sorted().toList();
            assertEquals(List.of("lo", "veth0", "veth1"), names, links.output());

            NetNs.Result addrs = ns.run(PROBE, List.of("ip", "-o", "-4", "addr", "show"));
            assertTrue(addrs.output().contains("veth0    inet 198.18.0.1/24"), addrs.output());
            assertTrue(addrs.output().contains("lo    inet 127.0.0.1/8"), addrs.output());

            // The only IPv4 routes are the veth's subnet and the local ones: nothing can be sent off the machine.
            NetNs.Result routes = ns.run(PROBE, List.of("ip", "-4", "route", "show", "table", "all"));
            assertFalse(routes.output().contains("default"), routes.output());
            assertTrue(routes.output().lines().filter(l -> !l.startsWith("local ") && !l.startsWith("broadcast "))
                    .allMatch(l -> l.startsWith("198.18.0.0/24 dev veth0")), routes.output());
        }
    }

    @Test
    void httpListenerOnTheVethAddressAnswersInsideTheNamespaceAndStopsWithIt() throws Exception {
        Process listener;
        try (NetNs ns = NetNs.create(CIDR)) {
            listener = ns.start(List.of("node", "netns-probe.mjs", "http-serve", "--bind", ns.address(), "--port", "8081"),
                    NodeScripts.E2E_DIR, tmp.resolve("http-serve.log"));
            NetNs.Result get = ns.run(PROBE, List.of("node", "netns-probe.mjs", "http-get",
                    "--url", "http://" + ns.address() + ":8081/"));
            assertEquals(0, get.exitCode(), get.output());
            assertTrue(get.output().contains("\"body\":\"hello from 198.18.0.1:8081\""), get.output());
            assertTrue(listener.isAlive());
        }
        assertTrue(listener.waitFor(1, TimeUnit.SECONDS), "closing the namespace stops what runs in it");
    }

    @Test
    void nftDropRuleSilencesAUdpEchoUntilItIsDeleted() throws Exception {
        try (NetNs ns = NetNs.create(CIDR)) {
            ns.start(List.of("node", "netns-probe.mjs", "udp-echo", "--bind", ns.address(), "--port", "9999"),
                    NodeScripts.E2E_DIR, tmp.resolve("udp-echo.log"));
            List<String> ping = List.of("node", "netns-probe.mjs", "udp-ping", "--to", ns.address(), "--port", "9999");
            List<String> pingLong = List.of("node", "netns-probe.mjs", "udp-ping", "--to", ns.address(), "--port", "9999",
                    "--within", "5000");

            NetNs.Result before = ns.run(PROBE, pingLong);
            assertTrue(before.output().contains("\"answered\":true"), "the echo answers: " + before.output());

            try (NetNs.Rule rule = ns.dropInbound("udp dport 9999")) {
                NetNs.Result dropped = ns.run(PROBE, ping);
                assertTrue(dropped.output().contains("\"answered\":false"), "no answer while dropped: " + dropped.output());
                long sent = Long.parseLong(dropped.output().replaceAll("(?s).*\"sent\":(\\d+).*", "$1"));
                assertTrue(sent >= 5, dropped.output());
                assertEquals(sent, rule.dropped(), "the rule dropped every datagram sent to the port");
            }

            NetNs.Result after = ns.run(PROBE, pingLong);
            assertTrue(after.output().contains("\"answered\":true"), "the echo answers again once the rule is gone: "
                    + after.output());
        }
    }
}
