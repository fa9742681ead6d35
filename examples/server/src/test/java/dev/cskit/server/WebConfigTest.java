/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTPS, redirect, proxy, deadline and CORS keys of the file and the TLS flags of the command line. */
class WebConfigTest {

    @TempDir
    Path dir;

    @Test
    void plainHttpWithDefaultDeadlinesAndNoCorsByDefault() {
        ConfigLoader.Loaded d = ConfigLoader.defaults();
        ServerConfig.Web web = d.server().web();
        assertNull(web.tls());
        assertNull(web.httpRedirectPort());
        assertTrue(web.trustedProxies().isEmpty());
        assertEquals(Duration.ofSeconds(10), web.headerTimeout());
        assertEquals(Duration.ofSeconds(30), web.bodyTimeout());
        assertTrue(d.customerService().corsOrigins().isEmpty());
    }

    @Test
    void mapsTheWebKeys() throws Exception {
        ConfigLoader.Loaded l = ConfigLoader.parse("""
                server:
                  port: 8443
                  tls: { cert: /etc/cskit/fullchain.pem, key: /etc/cskit/privkey.pem }
                  http_redirect_port: 8080
                  trusted_proxies: [127.0.0.1/32, 10.0.0.0/8]
                  header_timeout: 5
                  body_timeout: 20
                customer_service:
                  cors_origins: [https://app.example.com, 'http://localhost:3000/']
                """, "web.yaml");
        ServerConfig.Web web = l.server().web();
        assertEquals(new ServerConfig.Tls(Path.of("/etc/cskit/fullchain.pem"), Path.of("/etc/cskit/privkey.pem"), false),
                web.tls());
        assertEquals(8080, web.httpRedirectPort());
        assertEquals(List.of("127.0.0.1/32", "10.0.0.0/8"), web.trustedProxies());
        assertEquals(Duration.ofSeconds(5), web.headerTimeout());
        assertEquals(Duration.ofSeconds(20), web.bodyTimeout());
        assertEquals(List.of("https://app.example.com", "http://localhost:3000"), l.customerService().corsOrigins());
        assertTrue(ConfigLoader.parse("server: { tls: { self_signed: true } }", "s").server().web().tls().selfSigned());
    }

    @Test
    void badWebKeysAreRefusedByName() {
        for (String[] c : new String[][] {
            {"server: { tls: { cert: a.pem } }", "cert and key"},
            {"server: { tls: { cert: a.pem, key: b.pem, self_signed: true } }", "not both"},
            {"customer_service: { cors_origins: ['https://app.example.com/path'] }", "cors_origins"},
            {"customer_service: { cors_origins: ['*'] }", "cors_origins"},
            {"server: { http_redirect_port: 70000 }", "http_redirect_port"},
            {"server: { header_timeout: 0 }", "header_timeout"},
        }) {
            ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(c[0], "bad.yaml"), c[0]);
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
        }
    }

    @Test
    void tlsFlagsOverrideTheFile() throws Exception {
        Path file = dir.resolve("cs.yaml");
        Files.writeString(file, "server: { tls: { cert: file.pem, key: file-key.pem }, http_redirect_port: 8080 }\n");
        ConfigLoader.Loaded fromFile = Main.resolve(CommandLine.parse("--config", file.toString()));
        assertEquals(Path.of("file.pem"), fromFile.server().web().tls().cert());
        ConfigLoader.Loaded flags = Main.resolve(CommandLine.parse("--config", file.toString(), "--tls-cert", "c.pem",
                "--tls-key=k.pem"));
        assertEquals(new ServerConfig.Tls(Path.of("c.pem"), Path.of("k.pem"), false), flags.server().web().tls());
        assertEquals(8080, flags.server().web().httpRedirectPort(), "the rest of the file stays");
        ConfigLoader.Loaded self = Main.resolve(CommandLine.parse("--config", file.toString(), "--tls-self-signed"));
        assertTrue(self.server().web().tls().selfSigned());
    }

    @Test
    void aRedirectPortWithoutTlsIsAConfigError() throws Exception {
        Path file = dir.resolve("cs.yaml");
        Files.writeString(file, "server: { http_redirect_port: 8080 }\n");
        ConfigException e = assertThrows(ConfigException.class, () -> Main.resolve(CommandLine.parse("--config",
                file.toString())));
        assertTrue(e.getMessage().contains("server.tls"), e.getMessage());
        assertFalse(Main.resolve(CommandLine.parse("--config", file.toString(), "--tls-self-signed")).server().web()
                .tls().cert() != null);
    }

    @Test
    void tlsFlagsMustComeAsAPairOrAlone() {
        assertThrows(CommandLine.UsageException.class, () -> CommandLine.parse("--tls-cert", "c.pem"));
        assertThrows(CommandLine.UsageException.class, () -> CommandLine.parse("--tls-key", "k.pem"));
        assertThrows(CommandLine.UsageException.class, () -> CommandLine.parse("--tls-self-signed", "--tls-cert", "c",
                "--tls-key", "k"));
        assertThrows(CommandLine.UsageException.class, () -> CommandLine.parse("--tls-self-signed=yes"));
        assertTrue(CommandLine.USAGE.contains("--tls-self-signed"));
    }
}
