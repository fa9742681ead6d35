/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.dtls;

import dev.cskit.media.srtp.SrtpProfile;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Hashtable;
import java.util.List;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.modes.AEADBlockCipher;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.gcm.BasicGCMMultiplier;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * BouncyCastle's side of one DTLS-SRTP association: the TLS server or client that offers DTLS 1.2 only, the
 * ECDHE-ECDSA suites and our SRTP profiles (RFC 5764 §4.1.1), checks the peer's certificate against its SDP
 * fingerprint (RFC 8122 §5), and exports the SRTP keys (RFC 5764 §4.2). What it learns (the keys, why it
 * failed, whether the peer closed) is read by {@link DtlsEndpoint}.
 *
 * <p>Thread-safety: the TLS callbacks run on the handshake thread; the results are volatile.
 */
final class SrtpTls {
    private static final Logger LOG = LoggerFactory.getLogger(SrtpTls.class);

    /**
     * The crypto every association shares (it is thread-safe). After the handshake the DTLS records carry only
     * alerts, so their AES-GCM uses BouncyCastle's table-free GHASH: the default 4 KiB tables would keep about
     * 18 KiB per association alive for nothing.
     */
    static final BcTlsCrypto CRYPTO = new BcTlsCrypto(new SecureRandom()) {
        @Override
        protected AEADBlockCipher createGCMMode(BlockCipher engine) {
            return GCMBlockCipher.newInstance(engine, new BasicGCMMultiplier());
        }
    };
    private static final int[] CIPHER_SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
    };

    private final boolean server;
    private final DtlsCertificate certificate;
    private final DtlsFingerprint remoteFingerprint;
    private final List<SrtpProfile> profiles;
    private final int timeoutMillis;
    private final RecordShape shape;

    /** Set when the peer sent close_notify. */
    volatile boolean peerClosed;
    /** Set by the TLS callbacks before they abort, to classify the resulting exception. */
    volatile DtlsException.Kind failureKind;
    /** The exported keys, once the handshake completed. */
    volatile DtlsSrtpKeys keys;

    SrtpTls(boolean server, DtlsCertificate certificate, DtlsFingerprint remoteFingerprint, List<SrtpProfile> profiles,
            int timeoutMillis, RecordShape shape) {
        this.server = server;
        this.certificate = certificate;
        this.remoteFingerprint = remoteFingerprint;
        this.profiles = profiles;
        this.timeoutMillis = timeoutMillis;
        this.shape = shape;
    }

    private TlsCredentialedSigner signer(TlsContext context, BcTlsCrypto crypto) throws IOException {
        TlsCertificate tlsCert = crypto.createCertificate(certificate.derNoCopy());
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto,
                certificate.privateKey(), new Certificate(new TlsCertificate[] {tlsCert}),
                new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
    }

    /** RFC 8122 §5: the presented end-entity certificate must hash to the SDP fingerprint. */
    private void verifyPeer(Certificate chain) throws IOException {
        if (chain == null || chain.isEmpty()) {
            failureKind = DtlsException.Kind.FINGERPRINT_MISMATCH;
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "peer sent no certificate");
        }
        if (!remoteFingerprint.matches(chain.getCertificateAt(0).getEncoded())) {
            failureKind = DtlsException.Kind.FINGERPRINT_MISMATCH;
            throw new TlsFatalAlert(AlertDescription.bad_certificate,
                    "peer certificate does not match the SDP fingerprint " + remoteFingerprint);
        }
    }

    private void exportKeys(TlsContext context, SrtpProfile profile) throws IOException {
        shape.learn(context.getSecurityParametersConnection().getCipherSuite(),
                context.getSecurityParametersConnection().isEncryptThenMAC());
        int len = 2 * (profile.keyLength() + profile.saltLength());
        byte[] material = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, len);
        keys = DtlsSrtpKeys.fromExporter(profile, material, server, remoteFingerprint);
    }

    private int[] profileIds() {
        int[] ids = new int[profiles.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = profiles.get(i).id();
        }
        return ids;
    }

    private void peerAlert(short level, short description) {
        if (description == AlertDescription.close_notify) {
            peerClosed = true;
        } else if (level == AlertLevel.fatal) {
            LOG.debug("DTLS peer sent fatal alert {}", AlertDescription.getText(description));
        }
    }

    final class Server extends DefaultTlsServer {
        private SrtpProfile chosen;

        Server(BcTlsCrypto crypto) {
            super(crypto);
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.DTLSv12.only();
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            return TlsUtils.getSupportedCipherSuites(getCrypto(), CIPHER_SUITES);
        }

        @Override
        public int getHandshakeTimeoutMillis() {
            return timeoutMillis;
        }

        @Override
        protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
            return signer(context, (BcTlsCrypto) getCrypto());
        }

        @Override
        @SuppressWarnings("rawtypes") // BouncyCastle's signature
        public void processClientExtensions(Hashtable clientExtensions) throws IOException {
            super.processClientExtensions(clientExtensions);
            UseSRTPData offered = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
            if (offered != null) {
                // Our preference order, restricted to what the client supports (RFC 5764 §4.1.1).
                for (SrtpProfile p : profiles) {
                    for (int id : offered.getProtectionProfiles()) {
                        if (id == p.id() && chosen == null) {
                            chosen = p;
                        }
                    }
                }
            }
            if (chosen == null) {
                failureKind = DtlsException.Kind.NO_COMMON_SRTP_PROFILE;
                throw new TlsFatalAlert(AlertDescription.handshake_failure, "no common SRTP protection profile");
            }
        }

        @Override
        public Hashtable<Integer, byte[]> getServerExtensions() throws IOException {
            @SuppressWarnings("unchecked")
            Hashtable<Integer, byte[]> ext = TlsExtensions.ensure(super.getServerExtensions());
            TlsSRTPUtils.addUseSRTPExtension(ext, new UseSRTPData(new int[] {chosen.id()}, TlsUtils.EMPTY_BYTES));
            return ext;
        }

        @Override
        public CertificateRequest getCertificateRequest() {
            // WebRTC authenticates the client by its certificate fingerprint: always ask for one.
            @SuppressWarnings("unchecked")
            java.util.Vector<SignatureAndHashAlgorithm> algs = TlsUtils.getDefaultSupportedSignatureAlgorithms(context);
            return new CertificateRequest(new short[] {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign},
                    algs, null);
        }

        @Override
        public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
            verifyPeer(clientCertificate);
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            exportKeys(context, chosen);
        }

        @Override
        public void notifyAlertReceived(short alertLevel, short alertDescription) {
            peerAlert(alertLevel, alertDescription);
        }
    }

    final class Client extends DefaultTlsClient {
        private SrtpProfile chosen;

        Client(BcTlsCrypto crypto) {
            super(crypto);
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return ProtocolVersion.DTLSv12.only();
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            return TlsUtils.getSupportedCipherSuites(getCrypto(), CIPHER_SUITES);
        }

        @Override
        public int getHandshakeTimeoutMillis() {
            return timeoutMillis;
        }

        @Override
        public Hashtable<Integer, byte[]> getClientExtensions() throws IOException {
            @SuppressWarnings("unchecked")
            Hashtable<Integer, byte[]> ext = TlsExtensions.ensure(super.getClientExtensions());
            TlsSRTPUtils.addUseSRTPExtension(ext, new UseSRTPData(profileIds(), TlsUtils.EMPTY_BYTES));
            return ext;
        }

        @Override
        @SuppressWarnings("rawtypes") // BouncyCastle's signature
        public void processServerExtensions(Hashtable serverExtensions) throws IOException {
            super.processServerExtensions(serverExtensions);
            UseSRTPData selected = TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
            // RFC 5764 §4.1.1: the server answers with exactly one of the offered profiles.
            if (selected != null && selected.getProtectionProfiles().length == 1) {
                int id = selected.getProtectionProfiles()[0];
                for (SrtpProfile p : profiles) {
                    if (p.id() == id) {
                        chosen = p;
                    }
                }
            }
            if (chosen == null) {
                failureKind = DtlsException.Kind.NO_COMMON_SRTP_PROFILE;
                throw new TlsFatalAlert(AlertDescription.illegal_parameter, "server selected no offered SRTP profile");
            }
        }

        @Override
        public TlsAuthentication getAuthentication() {
            return new TlsAuthentication() {
                @Override
                public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                    verifyPeer(serverCertificate.getCertificate());
                }

                @Override
                public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                    return signer(context, (BcTlsCrypto) getCrypto());
                }
            };
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            exportKeys(context, chosen);
        }

        @Override
        public void notifyAlertReceived(short alertLevel, short alertDescription) {
            peerAlert(alertLevel, alertDescription);
        }
    }

    /** Raw-type bridging for BouncyCastle's pre-generics Hashtable extension maps. */
    private static final class TlsExtensions {
        @SuppressWarnings("rawtypes")
        static Hashtable ensure(Hashtable h) {
            return h != null ? h : new Hashtable<Integer, byte[]>();
        }
    }
}
