/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty;

import dev.cskit.api.annotation.Nullable;
import dev.cskit.netty.internal.TlsFiles;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificate a {@link NettyHost} serves HTTPS and WSS with ({@link NettyHostBuilder#tls}): PEM files, which the
 * host re-reads when they change (certificates renew every 60 to 90 days; new connections get the new one, open
 * ones keep theirs), or a throwaway self-signed certificate for trials on a LAN.
 *
 * <p><b>Thread-safety:</b> thread-safe. {@link #reloadIfChanged()} is called by the host's scheduler; the current
 * context is read by the I/O threads for each new connection.
 */
public final class HostTls {

    private static final Logger LOG = LoggerFactory.getLogger(HostTls.class);

    private record Stamp(long certModified, long certSize, long keyModified, long keySize) {
    }

    private final @Nullable Path certFile;
    private final @Nullable Path keyFile;
    private volatile SslContext context;
    private volatile X509Certificate leaf;
    private @Nullable Stamp stamp; // guarded by this: the files as last tried

    private HostTls(@Nullable Path certFile, @Nullable Path keyFile, TlsFiles.KeyAndChain material,
                    @Nullable Stamp stamp) throws IOException {
        this.certFile = certFile;
        this.keyFile = keyFile;
        this.context = TlsFiles.serverContext(material);
        this.leaf = material.leaf();
        this.stamp = stamp;
    }

    /**
     * A certificate chain (leaf first) and its private key from PEM files: the key in PKCS#8
     * ({@code BEGIN PRIVATE KEY}) or the traditional RSA or EC form, not encrypted.
     *
     * @throws IOException naming the file and what is wrong (missing, not PEM, encrypted, key of another certificate)
     */
    public static HostTls fromPemFiles(Path certChain, Path privateKey) throws IOException {
        Objects.requireNonNull(certChain, "certChain");
        Objects.requireNonNull(privateKey, "privateKey");
        TlsFiles.KeyAndChain material = TlsFiles.readPem(certChain, privateKey);
        return new HostTls(certChain, privateKey, material, stamp(certChain, privateKey));
    }

    /**
     * A throwaway self-signed certificate (EC P-256, valid 30 days, made now) for {@code localhost}, this machine's
     * host name, and the loopback and interface addresses found. Browsers warn about it; for trials only.
     */
    public static HostTls selfSigned() {
        Set<String> names = new LinkedHashSet<>();
        names.add("localhost");
        Set<InetAddress> addresses = new LinkedHashSet<>();
        addresses.add(InetAddress.getLoopbackAddress());
        try {
            addresses.add(InetAddress.getByName("::1"));
        } catch (UnknownHostException e) {
            // no IPv6 loopback literal: leave it out
        }
        try {
            InetAddress local = InetAddress.getLocalHost();
            names.add(local.getHostName());
            names.add(local.getCanonicalHostName());
        } catch (UnknownHostException e) {
            LOG.debug("this machine's host name does not resolve: {}", e.getMessage());
        }
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nif.isUp()) {
                    for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                        if (!(a instanceof Inet6Address v6 && v6.isLinkLocalAddress())) {
                            addresses.add(a);
                        }
                    }
                }
            }
        } catch (SocketException e) {
            LOG.debug("cannot list the network interfaces: {}", e.getMessage());
        }
        // An address-shaped host name (no DNS) is not a DNS name for a certificate.
        names.removeIf(n -> n.isEmpty() || n.indexOf(':') >= 0 || n.matches("[0-9.]+"));
        return selfSigned(new ArrayList<>(names), new ArrayList<>(addresses));
    }

    /** A throwaway self-signed certificate for exactly these DNS names and addresses. */
    public static HostTls selfSigned(List<String> dnsNames, List<InetAddress> addresses) {
        try {
            return new HostTls(null, null, TlsFiles.selfSigned(dnsNames, addresses, Instant.now()), null);
        } catch (IOException e) {
            throw new IllegalStateException("cannot set up TLS with a fresh self-signed certificate", e);
        }
    }

    /** The certificate served now (the leaf of the chain). */
    public X509Certificate certificate() {
        return leaf;
    }

    /** The SHA-256 fingerprint of {@link #certificate()}, as browsers show it ({@code AB:CD:…}). */
    public String fingerprint() {
        return TlsFiles.fingerprint(leaf);
    }

    /** The DNS names and addresses the certificate is for. */
    public List<String> names() {
        return TlsFiles.subjectAltNames(leaf);
    }

    /** Whether the certificate comes from files the host watches. */
    public boolean watchesFiles() {
        return certFile != null;
    }

    /** One line for the log: the names, expiry and fingerprint. */
    public String describe() {
        return "certificate for " + names() + ", valid until " + leaf.getNotAfter().toInstant() + ", SHA-256 "
                + fingerprint() + (certFile != null ? " (from " + certFile + ")" : " (self-signed, throwaway)");
    }

    /** The context new connections use. */
    SslContext context() {
        return context;
    }

    /**
     * Re-reads the PEM files if their modification time or size changed since they were last tried; on success new
     * connections get the new certificate, on failure (e.g. the key is not written yet) the current one stays and
     * the next change is tried again.
     *
     * @return whether a new certificate was loaded
     */
    public synchronized boolean reloadIfChanged() {
        if (certFile == null || keyFile == null) {
            return false;
        }
        Stamp now;
        try {
            now = stamp(certFile, keyFile);
        } catch (IOException e) {
            if (stamp != null) {
                LOG.warn("TLS files cannot be read ({}); keeping the current certificate", e.getMessage());
                stamp = null;
            }
            return false;
        }
        if (now.equals(stamp)) {
            return false;
        }
        stamp = now;
        try {
            TlsFiles.KeyAndChain m = TlsFiles.readPem(certFile, keyFile);
            context = TlsFiles.serverContext(m);
            leaf = m.leaf();
            LOG.info("TLS reloaded: {}", describe());
            return true;
        } catch (IOException e) {
            LOG.warn("TLS files changed but cannot be used yet ({}); keeping the current certificate", e.getMessage());
            return false;
        }
    }

    private static Stamp stamp(Path cert, Path key) throws IOException {
        BasicFileAttributes c = Files.readAttributes(cert, BasicFileAttributes.class);
        BasicFileAttributes k = Files.readAttributes(key, BasicFileAttributes.class);
        return new Stamp(c.lastModifiedTime().toMillis(), c.size(), k.lastModifiedTime().toMillis(), k.size());
    }
}
