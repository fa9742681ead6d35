/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class DtlsCertificateTest {

    @Test
    void generatesSelfSignedP256CertificateWithSdpFingerprint() throws Exception {
        DtlsCertificate c = DtlsCertificate.generate();
        X509Certificate x509 = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(c.der()));
        x509.verify(x509.getPublicKey()); // self-signed
        assertEquals("SHA256withECDSA", x509.getSigAlgName());
        assertEquals(256, ((ECPublicKey) x509.getPublicKey()).getParams().getCurve().getField().getFieldSize());
        x509.checkValidity();

        String sdp = c.fingerprint().toSdp();
        assertTrue(sdp.matches("sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}"), sdp);
        String expected = HexFormat.ofDelimiter(":").withUpperCase()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(c.der()));
        assertEquals("sha-256 " + expected, sdp);
        assertNotEquals(c.fingerprint(), DtlsCertificate.generate().fingerprint());
    }

    @Test
    void parsesSdpFingerprintCaseInsensitively() {
        DtlsCertificate c = DtlsCertificate.generate();
        DtlsFingerprint parsed = DtlsFingerprint.parse(c.fingerprint().toSdp().toLowerCase().replace("sha-256", "SHA-256"));
        assertEquals(c.fingerprint(), parsed);
        assertTrue(parsed.matches(c.der()));
        assertFalse(parsed.matches(DtlsCertificate.generate().der()));
    }

    @Test
    void rejectsMalformedFingerprints() {
        assertThrows(IllegalArgumentException.class, () -> DtlsFingerprint.parse("sha-256"));
        assertThrows(IllegalArgumentException.class, () -> DtlsFingerprint.parse("md5 AB:CD"));
        assertThrows(IllegalArgumentException.class, () -> DtlsFingerprint.parse("sha-256 AB:CD")); // too short
        assertThrows(IllegalArgumentException.class, () -> DtlsFingerprint.parse("sha-256 ZZ:" + "00:".repeat(30) + "00"));
    }
}
