/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Certificates from PEM files in the forms operators have, their reload, and the throwaway self-signed one. */
class HostTlsTest {

    @TempDir
    Path dir;

    TestPki.Issued ca() throws Exception {
        return TestPki.ca("cskit test CA");
    }

    @Test
    void readsAChainWithAPkcs8Key() throws Exception {
        TestPki.Issued ca = ca();
        TestPki.Issued leaf = TestPki.leaf(ca, "EC", List.of("cs.test"), List.of("127.0.0.1"));
        TestPki.writeCerts(dir.resolve("chain.pem"), leaf.cert(), ca.cert());
        TestPki.writePkcs8(dir.resolve("key.pem"), leaf.keys().getPrivate());
        HostTls tls = HostTls.fromPemFiles(dir.resolve("chain.pem"), dir.resolve("key.pem"));
        assertEquals(leaf.cert(), tls.certificate());
        assertEquals(List.of("cs.test", "127.0.0.1"), tls.names());
        assertTrue(tls.watchesFiles());
        String expected = HexFormat.ofDelimiter(":").withUpperCase()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(leaf.cert().getEncoded()));
        assertEquals(expected, tls.fingerprint());
    }

    @Test
    void readsTraditionalRsaAndEcKeys() throws Exception {
        TestPki.Issued ca = ca();
        for (String alg : List.of("RSA", "EC")) {
            TestPki.Issued leaf = TestPki.leaf(ca, alg, List.of("cs.test"), List.of());
            TestPki.writeCerts(dir.resolve(alg + ".pem"), leaf.cert());
            TestPki.writeTraditional(dir.resolve(alg + "-key.pem"), leaf.keys());
            String pem = Files.readString(dir.resolve(alg + "-key.pem"));
            assertTrue(pem.startsWith("-----BEGIN " + alg + " PRIVATE KEY-----"), pem);
            assertEquals(leaf.cert(), HostTls.fromPemFiles(dir.resolve(alg + ".pem"), dir.resolve(alg + "-key.pem"))
                    .certificate());
        }
    }

    @Test
    void explainsWhatIsWrongWithTheFiles() throws Exception {
        TestPki.Issued ca = ca();
        TestPki.Issued leaf = TestPki.leaf(ca, "EC", List.of("cs.test"), List.of());
        TestPki.Issued other = TestPki.leaf(ca, "EC", List.of("other.test"), List.of());
        Path cert = dir.resolve("cert.pem");
        TestPki.writeCerts(cert, leaf.cert());
        Path wrongKey = dir.resolve("wrong.pem");
        TestPki.writePkcs8(wrongKey, other.keys().getPrivate());
        Path encrypted = dir.resolve("enc.pem");
        TestPki.writeEncrypted(encrypted, leaf.keys().getPrivate());
        Path garbage = dir.resolve("garbage.pem");
        Files.writeString(garbage, "not a certificate\n");
        assertTrue(message(cert, wrongKey).contains("does not belong to the first certificate"));
        assertTrue(message(cert, encrypted).contains("is encrypted"));
        assertTrue(message(dir.resolve("missing.pem"), wrongKey).contains("does not exist"));
        assertTrue(message(garbage, wrongKey).contains("holds no PEM certificate"));
        assertTrue(message(cert, garbage).contains("holds no PEM private key"));
    }

    private static String message(Path cert, Path key) {
        IOException e = assertThrows(IOException.class, () -> HostTls.fromPemFiles(cert, key));
        return e.getMessage();
    }

    @Test
    void reloadsWhenTheFilesChangeAndKeepsTheOldCertificateWhileThePairIsIncomplete() throws Exception {
        TestPki.Issued ca = ca();
        TestPki.Issued first = TestPki.leaf(ca, "EC", List.of("cs.test"), List.of());
        TestPki.Issued second = TestPki.leaf(ca, "EC", List.of("cs.test"), List.of());
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        TestPki.writeCerts(cert, first.cert());
        TestPki.writePkcs8(key, first.keys().getPrivate());
        HostTls tls = HostTls.fromPemFiles(cert, key);
        assertFalse(tls.reloadIfChanged(), "nothing changed");
        // A renewal that writes the certificate first: until the key follows, the pair does not match.
        TestPki.writeCerts(cert, second.cert());
        Files.setLastModifiedTime(cert, FileTime.from(Instant.now().plusSeconds(5)));
        assertFalse(tls.reloadIfChanged());
        assertEquals(first.cert(), tls.certificate());
        TestPki.writePkcs8(key, second.keys().getPrivate());
        Files.setLastModifiedTime(key, FileTime.from(Instant.now().plusSeconds(6)));
        assertTrue(tls.reloadIfChanged());
        assertEquals(second.cert(), tls.certificate());
        assertFalse(tls.reloadIfChanged());
    }

    @Test
    void selfSignedCoversTheGivenNamesAndTheMachinesOwn() throws Exception {
        HostTls given = HostTls.selfSigned(List.of("cs.test"), List.of(InetAddress.getByName("127.0.0.1")));
        assertEquals(List.of("cs.test", "127.0.0.1"), given.names());
        assertFalse(given.watchesFiles());
        given.certificate().verify(given.certificate().getPublicKey());
        HostTls machine = HostTls.selfSigned();
        assertTrue(machine.names().contains("localhost"), machine.names().toString());
        assertTrue(machine.names().contains("127.0.0.1"), machine.names().toString());
        assertTrue(machine.fingerprint().matches("([0-9A-F]{2}:){31}[0-9A-F]{2}"), machine.fingerprint());
    }
}
