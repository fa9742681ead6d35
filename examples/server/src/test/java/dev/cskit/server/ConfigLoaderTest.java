/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.api.CsConfig;
import dev.cskit.api.FileType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    static final String HASH = "$2b$12$" + "a".repeat(53);

    @Test
    void embeddedDefaultsNeedNoFile() {
        ConfigLoader.Loaded d = ConfigLoader.defaults();
        assertEquals(8080, d.server().port());
        assertEquals(9000, d.server().mediaPort());
        assertEquals(List.of(), d.server().publicIps(), "unset: every up interface address is advertised");
        assertEquals(Duration.ofSeconds(60), d.server().heartbeatTimeout());
        assertEquals(1000, d.customerService().maxSessions());
        assertEquals(Duration.ofSeconds(3600), d.customerService().sessionTimeout());
        assertEquals(Optional.of(Path.of("data")), d.customerService().dataDir());
        assertTrue(d.customerService().agents().isEmpty());
        assertTrue(d.customerService().autoAssign(), "the standalone server routes calls unless told not to");
        assertEquals(Duration.ofSeconds(30), d.customerService().ringTimeout());
        assertEquals(Duration.ZERO, d.customerService().wrapUp());
    }

    @Test
    void publicIpIsOneAddressAListOrACommaString() throws Exception {
        assertEquals(List.of("203.0.113.7"),
                ConfigLoader.parse("server: { public_ip: 203.0.113.7 }", "a").server().publicIps());
        assertEquals(List.of("203.0.113.7", "2001:db8::7"),
                ConfigLoader.parse("server:\n  public_ip: [203.0.113.7, '2001:db8::7']\n", "b").server().publicIps());
        assertEquals(List.of("203.0.113.7", "2001:db8::7"),
                ConfigLoader.parse("server: { public_ip: '203.0.113.7, 2001:db8::7' }", "c").server().publicIps());
        assertEquals(List.of(), ConfigLoader.parse("server: { public_ip: '' }", "d").server().publicIps());
    }

    @Test
    void routingKeysAreMapped() throws Exception {
        CsConfig cs = ConfigLoader.parse("customer_service:\n  auto_assign: false\n  ring_timeout: 12\n  wrap_up: 20\n",
                "r.yaml").customerService();
        assertFalse(cs.autoAssign());
        assertEquals(Duration.ofSeconds(12), cs.ringTimeout());
        assertEquals(Duration.ofSeconds(20), cs.wrapUp());
        assertTrue(ConfigLoader.parse("customer_service:\n  max_sessions: 5\n", "t").customerService().autoAssign());
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("customer_service:\n  ring_timeout: 0\n", "z.yaml"));
        assertTrue(e.getMessage().contains("ring_timeout"), e.getMessage());
    }

    @Test
    void mediaBudgetKeysAreMappedAndDefaulted() throws Exception {
        CsConfig d = ConfigLoader.defaults().customerService();
        assertEquals(4, d.maxMediaPerParty());
        assertEquals(java.util.Optional.empty(), d.mediaMemoryBytes());
        assertEquals(Duration.ofSeconds(12), d.mediaConnectTimeout());
        CsConfig cs = ConfigLoader.parse("customer_service:\n  max_media_per_party: 2\n  media_memory_mb: 128\n"
                + "  media_connect_timeout: 10\n", "m.yaml").customerService();
        assertEquals(2, cs.maxMediaPerParty());
        assertEquals(java.util.Optional.of(128L * 1024 * 1024), cs.mediaMemoryBytes());
        assertEquals(Duration.ofSeconds(10), cs.mediaConnectTimeout());
        org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("customer_service: { max_media_per_party: 0 }", "m.yaml"));
        org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("customer_service: { media_memory_mb: 0 }", "m.yaml"));
    }

    @Test
    void iceServersTurnSecretAndRelayPolicyAreMappedAndChecked() throws Exception {
        assertEquals(dev.cskit.api.media.IceConfig.NONE, ConfigLoader.parse("server: {port: 1}", "t").customerService()
                .iceConfig(), "none by default");
        dev.cskit.api.media.IceConfig ice = ConfigLoader.parse(String.join("\n",
                "server:",
                "  ice_servers:",
                "    - urls: stun:stun.example.net",
                "    - { urls: [turn:turn.example.net:3478, 'turns:turn.example.net:5349?transport=tcp'] }",
                "    - { urls: turn:static.example.net, username: u1, credential: p1 }",
                "  turn_secret: north",
                "  turn_ttl: 3600",
                "  ice_transport_policy: relay", ""), "t").customerService().iceConfig();
        assertEquals(3, ice.servers().size());
        assertEquals(List.of("turn:turn.example.net:3478", "turns:turn.example.net:5349?transport=tcp"),
                ice.servers().get(1).urls());
        assertEquals("u1", ice.servers().get(2).username());
        assertEquals(Optional.of("north"), ice.secret());
        assertEquals(Duration.ofHours(1), ice.turnTtl());
        assertEquals(dev.cskit.api.media.IceConfig.Policy.RELAY, ice.policy());
        assertFalse(ice.toString().contains("north") || ice.toString().contains("p1"), "secrets are not printed");

        for (String[] bad : new String[][] {
                {"  ice_servers: [ { urls: turn:t.example.net } ]", "turn_secret"},
                {"  ice_servers: [ { urls: 'http://x' } ]", "stun:, stuns:, turn: or turns:"},
                {"  ice_servers: [ { urls: turn:t, username: u } ]", "come together"},
                {"  ice_servers: [ {} ]", "needs urls"},
                {"  ice_servers: [ { urls: stun:s } ]\n  ice_transport_policy: relay", "needs a TURN server"},
                {"  ice_transport_policy: sometimes", "all or relay"},
                {"  ice_servers: [ { urls: turn:t } ]\n  turn_secret: x\n  turn_ttl: 0", "turn_ttl"}}) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> ConfigLoader.parse("server:\n" + bad[0] + "\n", "t"), bad[0]);
            assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
        }
    }

    @Test
    void mapsEveryKey() throws Exception {
        String yaml = """
                server: { port: 8081, media_port: 9001, public_ip: 10.0.0.5, heartbeat_timeout: 15 }
                customer_service:
                  max_sessions: 10
                  session_timeout: 600
                  enable_recording: true
                  recording_dir: /tmp/rec
                  data_dir: /tmp/data
                  link_secret: 0123456789abcdef0123
                  agents: [ { id: agent_001, name: Agent Wang, password_hash: '%s' } ]
                  admin_token: s3cret
                  public_url: https://cs.example.com/
                """.formatted(HASH);
        ConfigLoader.Loaded l = ConfigLoader.parse(yaml, "test.yaml");
        assertEquals(new ServerConfig(8081, 9001, "10.0.0.5", Duration.ofSeconds(15)), l.server());
        CsConfig cs = l.customerService();
        assertEquals(10, cs.maxSessions());
        assertEquals(Duration.ofSeconds(600), cs.sessionTimeout());
        assertTrue(cs.enableRecording());
        assertEquals(Path.of("/tmp/rec"), cs.recordingDir());
        assertEquals(Optional.of(Path.of("/tmp/data")), cs.dataDir());
        assertEquals(Optional.of("0123456789abcdef0123"), cs.linkSecret());
        assertEquals(1, cs.agents().size());
        assertEquals("agent_001", cs.agents().get(0).id());
        assertEquals("Agent Wang", cs.agents().get(0).name());
        assertEquals(HASH, cs.agents().get(0).passwordHash());
        assertEquals(Optional.of("s3cret"), cs.adminToken());
        assertEquals(Optional.of("https://cs.example.com"), cs.publicUrl());
    }

    @Test
    void fileKeysAreMappedWithTheirDefaults() throws Exception {
        CsConfig d = ConfigLoader.defaults().customerService();
        assertEquals(10L * 1024 * 1024, d.maxFileSize());
        assertEquals(java.util.Set.copyOf(FileType.DEFAULTS), d.fileTypes());
        assertEquals(0, d.retentionDays());
        CsConfig cs = ConfigLoader.parse("customer_service:\n  max_file_size: 67108864\n  file_types: [png, JPG, txt, zip]\n"
                + "  retention_days: 30\n", "f.yaml").customerService();
        assertEquals(64L * 1024 * 1024, cs.maxFileSize());
        assertEquals(java.util.Set.of(FileType.PNG, FileType.JPEG, FileType.TEXT, FileType.ZIP), cs.fileTypes());
        assertEquals(30, cs.retentionDays());
        String bad = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("customer_service: { file_types: [png, exe] }\n", "t")).getMessage();
        assertTrue(bad.contains("unknown file type 'exe'") && bad.contains("webp"), bad);
        assertTrue(assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("customer_service: { file_types: [] }\n", "t")).getMessage()
                .contains("file_types"));
        assertTrue(assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("customer_service: { max_file_size: 0 }\n", "t")).getMessage()
                .contains("max_file_size"));
        assertTrue(assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("customer_service: { retention_days: -1 }\n", "t")).getMessage()
                .contains("retention_days"));
    }

    @Test
    void consentNoticeIsReadTrimmedAndCheckedWithItsDefaultWhenAbsent() throws Exception {
        assertEquals(CsConfig.DEFAULT_CONSENT_NOTICE, ConfigLoader.defaults().customerService().consentNotice());
        CsConfig cs = ConfigLoader.parse("""
                customer_service:
                  enable_recording: true
                  consent_notice: "  Dieses Gespräch wird aufgezeichnet.  "
                """, "c.yaml").customerService();
        assertEquals("Dieses Gespräch wird aufgezeichnet.", cs.consentNotice());
        ConfigException blank = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("customer_service:\n  consent_notice: '  '\n", "b.yaml"));
        assertTrue(blank.getMessage().contains("b.yaml: consent_notice must not be blank"), blank.getMessage());
        String tooLong = "x".repeat(CsConfig.MAX_CONSENT_NOTICE_LENGTH + 1);
        ConfigException longer = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("customer_service:\n  consent_notice: " + tooLong + "\n", "l.yaml"));
        assertTrue(longer.getMessage().contains("consent_notice must be at most 1000 characters"), longer.getMessage());
    }

    @Test
    void supervisorsAndTheirBadgeAreRead() throws Exception {
        assertTrue(ConfigLoader.defaults().customerService().supervisorBadge());
        CsConfig cs = ConfigLoader.parse("""
                customer_service:
                  supervisor_badge: false
                  agents: [ { id: sup_1, name: Sue, supervisor: true }, { id: agent_1 } ]
                """, "s.yaml").customerService();
        assertFalse(cs.supervisorBadge());
        assertTrue(cs.agents().get(0).supervisor());
        assertFalse(cs.agents().get(1).supervisor());
        assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("customer_service: { agents: [ { id: a, supervisor: maybe } ] }\n", "t"));
    }

    @Test
    void partialFileKeepsOtherDefaults() throws Exception {
        ConfigLoader.Loaded l = ConfigLoader.parse("customer_service:\n  max_sessions: 5\n", "t");
        assertEquals(5, l.customerService().maxSessions());
        assertEquals(8080, l.server().port());
        assertEquals(Duration.ofSeconds(3600), l.customerService().sessionTimeout());
        assertEquals(8080, ConfigLoader.parse("", "empty").server().port());
    }

    @Test
    void unknownKeysAreClearErrors() {
        ConfigException top = assertThrows(ConfigException.class, () -> ConfigLoader.parse("servr: {port: 1}\n", "a.yaml"));
        assertTrue(top.getMessage().contains("a.yaml"), top.getMessage());
        assertTrue(top.getMessage().contains("unknown key 'servr'"), top.getMessage());
        assertTrue(top.getMessage().contains("customer_service"), "lists the known keys: " + top.getMessage());

        ConfigException nested = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("server:\n  prot: 1\n", "b.yaml"));
        assertTrue(nested.getMessage().contains("unknown key 'server.prot'"), nested.getMessage());
        assertTrue(nested.getMessage().contains("media_port"), nested.getMessage());

        ConfigException agent = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("customer_service:\n  agents: [ { id: a, pasword: x } ]\n", "c.yaml"));
        assertTrue(agent.getMessage().contains("pasword"), agent.getMessage());
    }

    @Test
    void badValuesAreClearErrors() {
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.parse("server: { port: many }\n", "t"))
                .getMessage().contains("server.port"));
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.parse("server: { port: 70000 }\n", "t"))
                .getMessage().contains("0..65535"));
        assertTrue(assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("customer_service: { max_sessions: 0 }\n", "t")).getMessage().contains("max_sessions"));
        assertTrue(assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("customer_service: { agents: [ { id: a, password_hash: plain } ] }\n", "t"))
                .getMessage().contains("hash-password"));
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.parse("server: [1, 2\n", "t"))
                .getMessage().contains("t:"));
        String badId = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("customer_service: { agents: [ { id: ok }, { id: 'wang.li' } ] }\n", "t"))
                .getMessage();
        assertTrue(badId.contains("customer_service.agents[1]: agent id must be 1 to 64 characters"), badId);
    }

    @Test
    void theServerMakesAFirstAgentWhenThereIsNone() throws Exception {
        assertTrue(ConfigLoader.defaults().customerService().createFirstAgent());
        assertTrue(ConfigLoader.parse("customer_service: { max_sessions: 5 }\n", "t").customerService()
                .createFirstAgent());
    }

    @Test
    void commandLineFlagsOverrideTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("cs.yaml");
        Files.writeString(file, "server: { port: 7000, media_port: 7001 }\ncustomer_service: { data_dir: /from/file }\n");
        ConfigLoader.Loaded fileOnly = Main.resolve(CommandLine.parse("--config", file.toString()));
        assertEquals(7000, fileOnly.server().port());
        ConfigLoader.Loaded l = Main.resolve(CommandLine.parse("--config", file.toString(), "--port", "7100",
                "--media-port=7101", "--data-dir", dir.toString()));
        assertEquals(7100, l.server().port());
        assertEquals(7101, l.server().mediaPort());
        assertEquals(Optional.of(dir), l.customerService().dataDir());
    }

    @Test
    void missingFileIsAClearError(@TempDir Path dir) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir.resolve("nope.yaml")));
        assertTrue(e.getMessage().contains("does not exist"));
        assertFalse(e.getMessage().isBlank());
    }

    @Test
    void mediaTcpPortDefaultsToTheUdpNumbersAndZeroOrFalseTurnsItOff() throws Exception {
        assertEquals(ServerConfig.MEDIA_TCP_SAME_AS_UDP, ServerConfig.DEFAULTS.mediaTcpPort());
        assertEquals(ServerConfig.MEDIA_TCP_SAME_AS_UDP,
                ConfigLoader.parse("server: { media_port: 9100 }\n", "a.yaml").server().mediaTcpPort());
        assertEquals(9443, ConfigLoader.parse("server: { media_tcp_port: 9443 }\n", "a.yaml").server().mediaTcpPort());
        assertEquals(ServerConfig.MEDIA_TCP_OFF,
                ConfigLoader.parse("server: { media_tcp_port: 0 }\n", "a.yaml").server().mediaTcpPort());
        assertEquals(ServerConfig.MEDIA_TCP_OFF,
                ConfigLoader.parse("server: { media_tcp_port: false }\n", "a.yaml").server().mediaTcpPort());
        ServerConfig range = ConfigLoader.parse("server: { media_ports: 9000-9003, media_tcp_port: 9443 }\n", "a.yaml")
                .server();
        assertEquals(4, range.mediaPorts());
        assertEquals(9443, range.mediaTcpPort(), "kept when media_ports is read after it");
        for (String bad : List.of("abc", "-5", "70000", "65535")) {
            String yaml = bad.equals("65535") ? "server: { media_ports: 9000-9001, media_tcp_port: 65535 }\n"
                    : "server: { media_tcp_port: " + bad + " }\n";
            ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, "a.yaml"), bad);
            assertTrue(e.getMessage().contains("media_tcp_port"), e.getMessage());
        }
    }

    @Test
    void mediaPortsGiveOneLoopPerPortAndMediaPortOne() throws Exception {
        ServerConfig four = ConfigLoader.parse("server: { media_ports: 9000-9003 }\n", "a.yaml").server();
        assertEquals(9000, four.mediaPort());
        assertEquals(4, four.mediaPorts());
        assertEquals(1, ConfigLoader.parse("server: { media_port: 9100 }\n", "a.yaml").server().mediaPorts());
        assertEquals(1, ServerConfig.DEFAULTS.mediaPorts(), "one port unless media_ports says otherwise");
        assertEquals(1, four.withMediaPort(7000).mediaPorts(), "--media-port N is one port");
        for (String bad : List.of("9003-9000", "abc", "0-3", "65535-65536", "9000-")) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> ConfigLoader.parse("server: { media_ports: '" + bad + "' }\n", "a.yaml"), bad);
            assertTrue(e.getMessage().contains("media_ports"), e.getMessage());
        }
        ConfigException both = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("server: { media_port: 9000, media_ports: 9000-9001 }\n", "a.yaml"));
        assertTrue(both.getMessage().contains("both"), both.getMessage());
    }
}
