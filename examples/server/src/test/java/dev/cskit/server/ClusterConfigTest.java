/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code cluster} section: mapped, checked with clear messages, its Redis password never shown. */
class ClusterConfigTest {

    private static final String SECRET = "customer_service: { link_secret: 0123456789abcdef0123456789abcdef }\n";

    private static String refusal(String yaml) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, "c.yaml")).getMessage();
    }

    @Test
    void aSingleNodeNeedsNoClusterSection() throws Exception {
        assertNull(ConfigLoader.defaults().cluster());
        assertNull(ConfigLoader.parse("server: { port: 8081 }\n", "c.yaml").cluster());
    }

    @Test
    void theClusterSectionIsMapped() throws Exception {
        ClusterConfig c = ConfigLoader.parse(SECRET + """
                cluster:
                  redis: redis://:s3cret@10.0.0.9:6380/2
                  node_id: node-1
                  public_url: http://10.0.0.5:8080
                """, "c.yaml").cluster();
        assertEquals(URI.create("redis://:s3cret@10.0.0.9:6380/2"), c.redis());
        assertEquals("node-1", c.nodeId());
        assertEquals(URI.create("http://10.0.0.5:8080"), c.publicUrl());
        assertFalse(c.toString().contains("s3cret"), c.toString());
        assertTrue(c.toString().contains("redis://:***@10.0.0.9:6380/2"), c.toString());
        assertNull(ConfigLoader.parse(SECRET + "cluster: { redis: 'redis://127.0.0.1:6379/0', node_id: a }\n", "c")
                .cluster().publicUrl());
    }

    @Test
    void missingOrBadValuesAreClearErrors() {
        String m = refusal(SECRET + "cluster: { node_id: a }\n");
        assertTrue(m.contains("cluster.redis is required"), m);
        m = refusal(SECRET + "cluster: { redis: 'redis://127.0.0.1:6379/0' }\n");
        assertTrue(m.contains("cluster.node_id is required"), m);
        m = refusal(SECRET + "cluster: { redis: 'redis://127.0.0.1:6379/0', node_id: 'node 1' }\n");
        assertTrue(m.contains("cluster.node_id must be 1 to 64 characters"), m);
        m = refusal(SECRET + "cluster: { redis: 'http://user:pw123@127.0.0.1:6379', node_id: a }\n");
        assertTrue(m.contains("cluster.redis must be redis://host:port/db"), m);
        assertFalse(m.contains("pw123"), m);
        m = refusal(SECRET + "cluster: { redis: 'redis://127.0.0.1:6379/0', node_id: a, public_url: '/x' }\n");
        assertTrue(m.contains("cluster.public_url must be an absolute"), m);
        m = refusal(SECRET + "cluster: { redis: 'redis://127.0.0.1:6379/0', node_id: a, nodes: 3 }\n");
        assertTrue(m.contains("unknown key 'cluster.nodes'"), m);
    }

    @Test
    void everyNodeMustShareTheLinkSecret() {
        String m = refusal("cluster: { redis: 'redis://127.0.0.1:6379/0', node_id: a }\n");
        assertTrue(m.contains("set customer_service.link_secret, the same on every node"), m);
    }

    @Test
    void commandLineFlagsKeepTheClusterSection(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("node.yaml");
        Files.writeString(file, SECRET + "cluster: { redis: 'redis://127.0.0.1:6379/0', node_id: node-2 }\n");
        ConfigLoader.Loaded l = Main.resolve(CommandLine.parse("--config", file.toString(), "--port", "7100",
                "--data-dir", dir.toString()));
        assertEquals(7100, l.server().port());
        assertEquals("node-2", l.cluster().nodeId());
    }
}
