/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(String stdin, String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void noArgumentsRunWithDefaults() throws Exception {
        CommandLine cl = CommandLine.parse();
        assertEquals(CommandLine.Command.RUN, cl.command());
        assertNull(cl.port());
        assertNull(cl.configFile());
    }

    @Test
    void parsesEveryFlagInBothForms() throws Exception {
        CommandLine cl = CommandLine.parse("--port", "8081", "--media-port=9001", "--config", "c.yaml", "--data-dir=/d");
        assertEquals(8081, cl.port());
        assertEquals(9001, cl.mediaPort());
        assertEquals(Path.of("c.yaml"), cl.configFile());
        assertEquals(Path.of("/d"), cl.dataDir());
        assertEquals("198.51.100.1,2001:db8::1", CommandLine.parse("--public-ip=198.51.100.1,2001:db8::1").publicIp());
        assertEquals(List.of("127.0.0.1"),
                Main.resolve(CommandLine.parse("--public-ip", "127.0.0.1")).server().publicIps());
        assertEquals(List.of(), Main.resolve(CommandLine.parse()).server().publicIps());
    }

    @Test
    void badFlagsPrintUsageAndExit2() {
        for (String[] bad : new String[][] {{"--bogus"}, {"--port"}, {"--port", "http"}, {"--port", "65536"},
                {"hash-password", "a", "b"}}) {
            err.reset();
            assertEquals(2, run("", bad), String.join(" ", bad));
            String e = err.toString(StandardCharsets.UTF_8);
            assertTrue(e.startsWith("error: "), e);
            assertTrue(e.contains("usage: java -jar cs-server.jar"), e);
        }
        assertThrows(CommandLine.UsageException.class, () -> CommandLine.parse("extra"));
    }

    @Test
    void helpPrintsUsageAndExits0() {
        assertEquals(0, run("", "--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--media-port N"));
    }

    @Test
    void hashPasswordPrintsAVerifiableBcryptHash() {
        assertEquals(0, run("", "hash-password", "hunter2"));
        String hash = out.toString(StandardCharsets.UTF_8).trim();
        assertTrue(hash.startsWith("$2b$12$"), hash);
        assertTrue(OpenBSDBCrypt.checkPassword(hash, "hunter2".toCharArray()));
        assertTrue(!OpenBSDBCrypt.checkPassword(hash, "hunter3".toCharArray()));
    }

    @Test
    void hashPasswordReadsStdinWhenNoArgument() {
        assertEquals(0, run("from stdin\n", "hash-password"));
        String hash = out.toString(StandardCharsets.UTF_8).trim();
        assertTrue(OpenBSDBCrypt.checkPassword(hash, "from stdin".toCharArray()));
        out.reset();
        assertEquals(2, run("", "hash-password"), "an empty password is refused");
    }

    @Test
    void badConfigFileExits2WithTheReason() {
        assertEquals(2, run("", "--config", "/nonexistent/cs.yaml"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("does not exist"));
    }
}
