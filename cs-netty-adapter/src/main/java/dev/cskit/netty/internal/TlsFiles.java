/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty.internal;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * TLS material for the host: PEM files read with BouncyCastle (a certificate chain, leaf first; a private key in
 * PKCS#8 {@code BEGIN PRIVATE KEY} or the traditional {@code BEGIN RSA PRIVATE KEY} / {@code BEGIN EC PRIVATE KEY}
 * form), throwaway self-signed certificates, and the server {@link SslContext} (JDK provider, TLS 1.3 and 1.2,
 * ALPN {@code http/1.1}). Stateless and thread-safe. Unsupported API.
 */
public final class TlsFiles {

    /** A private key and the certificate chain it goes with, leaf first. */
    public record KeyAndChain(PrivateKey key, List<X509Certificate> chain) {
        public KeyAndChain {
            chain = List.copyOf(chain);
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("a certificate chain needs at least one certificate");
            }
        }

        public X509Certificate leaf() {
            return chain.get(0);
        }
    }

    private TlsFiles() {
    }

    /**
     * Reads a PEM certificate chain and a PEM private key, and checks that the key belongs to the first
     * certificate.
     *
     * @throws IOException with a message naming the file and what is wrong with it
     */
    public static KeyAndChain readPem(Path certFile, Path keyFile) throws IOException {
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter certs = new JcaX509CertificateConverter();
        try (PEMParser p = new PEMParser(reader(certFile))) {
            Object o;
            while ((o = p.readObject()) != null) {
                if (o instanceof X509CertificateHolder h) {
                    chain.add(certs.getCertificate(h));
                }
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IOException("TLS certificate file " + certFile + " is not a PEM certificate chain: " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new IOException("TLS certificate file " + certFile + " holds no PEM certificate "
                    + "(-----BEGIN CERTIFICATE-----)");
        }
        PrivateKey key = null;
        JcaPEMKeyConverter keys = new JcaPEMKeyConverter();
        try (PEMParser p = new PEMParser(reader(keyFile))) {
            Object o;
            while (key == null && (o = p.readObject()) != null) {
                if (o instanceof PEMKeyPair kp) {
                    // BEGIN RSA / EC PRIVATE KEY; the public half of an EC key is optional (RFC 5915), so not read
                    key = keys.getPrivateKey(kp.getPrivateKeyInfo());
                } else if (o instanceof PrivateKeyInfo info) {
                    key = keys.getPrivateKey(info); // BEGIN PRIVATE KEY (PKCS#8)
                } else if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new IOException("TLS key file " + keyFile + " is encrypted; give the key without a pass phrase "
                            + "(e.g. openssl pkey -in " + keyFile.getFileName() + " -out key.pem) and protect the file");
                }
            }
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("TLS key file")) {
                throw e;
            }
            throw new IOException("TLS key file " + keyFile + " is not a PEM private key: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IOException("TLS key file " + keyFile + " is not a PEM private key: " + e.getMessage(), e);
        }
        if (key == null) {
            throw new IOException("TLS key file " + keyFile + " holds no PEM private key (-----BEGIN PRIVATE KEY-----, "
                    + "-----BEGIN RSA PRIVATE KEY----- or -----BEGIN EC PRIVATE KEY-----)");
        }
        if (!matches(key, chain.get(0))) {
            throw new IOException("TLS key file " + keyFile + " does not belong to the first certificate of " + certFile
                    + " (" + chain.get(0).getSubjectX500Principal().getName() + ")");
        }
        return new KeyAndChain(key, chain);
    }

    private static Reader reader(Path file) throws IOException {
        try {
            return Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new IOException("TLS file " + file + " does not exist", e);
        }
    }

    /** Signs a probe with the key and verifies it with the certificate's public key. */
    private static boolean matches(PrivateKey key, X509Certificate cert) {
        String alg = switch (cert.getPublicKey().getAlgorithm().toUpperCase(Locale.ROOT)) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EDDSA", "ED25519", "ED448" -> "EdDSA";
            default -> null;
        };
        if (alg == null) {
            return true; // a key type this check does not know: the TLS handshake will tell
        }
        try {
            byte[] probe = "cskit key check".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(cert.getPublicKey());
            v.update(probe);
            return v.verify(sig);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /**
     * A throwaway self-signed certificate (EC P-256, 30 days) for the given DNS names and IP addresses.
     *
     * @throws IllegalArgumentException if both lists are empty
     */
    public static KeyAndChain selfSigned(Collection<String> dnsNames, Collection<InetAddress> addresses, Instant now) {
        if (dnsNames.isEmpty() && addresses.isEmpty()) {
            throw new IllegalArgumentException("a certificate needs at least one name or address");
        }
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair kp = g.generateKeyPair();
            List<GeneralName> sans = new ArrayList<>();
            dnsNames.forEach(n -> sans.add(new GeneralName(GeneralName.dNSName, n)));
            addresses.forEach(a -> sans.add(new GeneralName(GeneralName.iPAddress, a.getHostAddress().replaceAll("%.*$", ""))));
            X500Name name = new X500Name("CN=cskit self-signed " + (dnsNames.isEmpty()
                    ? addresses.iterator().next().getHostAddress() : dnsNames.iterator().next()).replaceAll("[,=+<>#;\"\\\\]", "_"));
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, new BigInteger(64, new SecureRandom()),
                    Date.from(now.minus(1, ChronoUnit.HOURS)), Date.from(now.plus(30, ChronoUnit.DAYS)), name, kp.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(new GeneralName[0])));
            X509CertificateHolder h = b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate()));
            return new KeyAndChain(kp.getPrivate(), List.of(new JcaX509CertificateConverter().getCertificate(h)));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot make a self-signed certificate: " + e.getMessage(), e);
        }
    }

    /** The server context: JDK provider, TLS 1.3 and 1.2, ALPN offering {@code http/1.1} only. */
    public static SslContext serverContext(KeyAndChain m) throws IOException {
        try {
            return SslContextBuilder.forServer(m.key(), m.chain().toArray(new X509Certificate[0]))
                    .sslProvider(SslProvider.JDK)
                    .protocols("TLSv1.3", "TLSv1.2")
                    .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_1_1))
                    .build();
        } catch (javax.net.ssl.SSLException e) {
            throw new IOException("cannot set up TLS with this certificate and key: " + e.getMessage(), e);
        }
    }

    /** The SHA-256 fingerprint of a certificate as browsers show it: {@code AB:CD:...}. */
    public static String fingerprint(X509Certificate cert) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** The DNS names and IP addresses of a certificate's subjectAltName, for logs. */
    public static List<String> subjectAltNames(X509Certificate cert) {
        List<String> out = new ArrayList<>();
        try {
            if (cert.getSubjectAlternativeNames() != null) {
                for (List<?> san : cert.getSubjectAlternativeNames()) {
                    out.add(String.valueOf(san.get(1)));
                }
            }
        } catch (CertificateParsingException e) {
            out.add("?");
        }
        return out;
    }
}
