/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.dtls;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed ECDSA P-256 certificate for DTLS-SRTP, with its SDP fingerprint (RFC 8122). WebRTC
 * authenticates it by that fingerprint, not by a CA, so a fresh one per server (or per session)
 * is the norm; generation takes a few milliseconds. Immutable and thread-safe: one instance may
 * serve every endpoint of a server.
 */
public final class DtlsCertificate {
    private final byte[] der;
    private final AsymmetricKeyParameter privateKey;
    private final DtlsFingerprint fingerprint;

    private DtlsCertificate(byte[] der, AsymmetricKeyParameter privateKey) {
        this.der = der;
        this.privateKey = privateKey;
        this.fingerprint = DtlsFingerprint.ofCertificate("sha-256", der);
    }

    /** Generates a fresh key pair and a certificate valid from a day ago for 30 days. */
    public static DtlsCertificate generate() {
        return generate(new SecureRandom(), Instant.now(), Duration.ofDays(30));
    }

    /** Generates a fresh key pair and certificate valid from a day before {@code now} for {@code validity}. */
    public static DtlsCertificate generate(SecureRandom random, Instant now, Duration validity) {
        Objects.requireNonNull(random, "random");
        try {
            KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
            kpg.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair kp = kpg.generateKeyPair();
            X500Name name = new X500Name("CN=cskit");
            byte[] serial = new byte[8];
            random.nextBytes(serial);
            Instant from = now.minus(Duration.ofDays(1));
            X509CertificateHolder holder = new JcaX509v3CertificateBuilder(name, new BigInteger(1, serial),
                    Date.from(from), Date.from(now.plus(validity)), name, kp.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate()));
            return new DtlsCertificate(holder.getEncoded(), PrivateKeyFactory.createKey(kp.getPrivate().getEncoded()));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot generate an ECDSA P-256 certificate", e);
        }
    }

    /** The SHA-256 fingerprint, whose {@link DtlsFingerprint#toSdp()} goes in {@code a=fingerprint}. */
    public DtlsFingerprint fingerprint() {
        return fingerprint;
    }

    /** The DER encoding of the certificate. */
    public byte[] der() {
        return der.clone();
    }

    byte[] derNoCopy() {
        return der;
    }

    AsymmetricKeyParameter privateKey() {
        return privateKey;
    }
}
