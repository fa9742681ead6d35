/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/** A test's own certificate authority and the certificates it issues, written as PEM files like operators get. */
final class TestPki {

    /** A key pair and its certificate. */
    record Issued(KeyPair keys, X509Certificate cert) {
    }

    private TestPki() {
    }

    static KeyPair keys(String algorithm) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
        if (algorithm.equals("EC")) {
            g.initialize(new ECGenParameterSpec("secp256r1"));
        } else {
            g.initialize(2048);
        }
        return g.generateKeyPair();
    }

    private static String signature(PrivateKey key) {
        return key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    }

    /** A self-signed CA. */
    static Issued ca(String name) throws Exception {
        KeyPair kp = keys("EC");
        X500Name n = new X500Name("CN=" + name);
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(n, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(1, ChronoUnit.HOURS)), Date.from(now.plus(2, ChronoUnit.DAYS)), n, kp.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        return new Issued(kp, new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate()))));
    }

    /** A server certificate the CA issues for these DNS names and IP literals, with a key of {@code algorithm}. */
    static Issued leaf(Issued ca, String algorithm, List<String> dnsNames, List<String> ips) throws Exception {
        KeyPair kp = keys(algorithm);
        Instant now = Instant.now();
        List<GeneralName> sans = new ArrayList<>();
        dnsNames.forEach(d -> sans.add(new GeneralName(GeneralName.dNSName, d)));
        ips.forEach(i -> sans.add(new GeneralName(GeneralName.iPAddress, i)));
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                new X500Name(ca.cert().getSubjectX500Principal().getName()), new BigInteger(64, new SecureRandom()),
                Date.from(now.minus(1, ChronoUnit.HOURS)), Date.from(now.plus(1, ChronoUnit.DAYS)),
                new X500Name("CN=" + (dnsNames.isEmpty() ? ips.get(0) : dnsNames.get(0))), kp.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(new GeneralName[0])));
        return new Issued(kp, new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder(signature(ca.keys().getPrivate())).build(ca.keys().getPrivate()))));
    }

    /** PEM certificates, in order. */
    static void writeCerts(Path file, X509Certificate... certs) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            for (X509Certificate c : certs) {
                pem.writeObject(c);
            }
        }
    }

    /** {@code -----BEGIN PRIVATE KEY-----} (PKCS#8). */
    static void writePkcs8(Path file, PrivateKey key) throws Exception {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(new JcaPKCS8Generator(key, null));
        }
    }

    /**
     * {@code -----BEGIN RSA PRIVATE KEY-----} (PKCS#1) or {@code -----BEGIN EC PRIVATE KEY-----} (RFC 5915 with the
     * named curve and the public key, as {@code openssl ecparam -genkey} writes it).
     */
    static void writeTraditional(Path file, KeyPair keys) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            if (keys.getPrivate().getAlgorithm().equals("EC")) {
                PrivateKeyInfo info = PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
                ASN1ObjectIdentifier curve = ASN1ObjectIdentifier.getInstance(info.getPrivateKeyAlgorithm().getParameters());
                ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
                DERBitString pub = new DERBitString(SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()).getPublicKeyData().getBytes());
                pem.writeObject(new PemObject("EC PRIVATE KEY", new ECPrivateKey(256, inner.getKey(), pub, curve).getEncoded()));
            } else {
                pem.writeObject(keys.getPrivate());
            }
        }
    }

    /** {@code -----BEGIN ENCRYPTED PRIVATE KEY-----}. */
    static void writeEncrypted(Path file, PrivateKey key) throws Exception {
        var enc = new JceOpenSSLPKCS8EncryptorBuilder(PKCSObjectIdentifiers.pbeWithSHAAnd3_KeyTripleDES_CBC)
                .setPassword("secret".toCharArray()).build();
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(new JcaPKCS8Generator(key, enc));
        }
    }

    /** A client SSL context that trusts only {@code anchor}. */
    static SSLContext trusting(X509Certificate anchor) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        ks.setCertificateEntry("anchor", anchor);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    static List<InetAddress> loopback() {
        return List.of(InetAddress.getLoopbackAddress());
    }
}
