/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.dtls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * A certificate fingerprint as carried in SDP {@code a=fingerprint} (RFC 8122 §5): a hash function
 * name from the IANA "Hash Function Textual Names" registry and the hash as colon-separated
 * upper-case hex pairs. Immutable.
 *
 * @param algorithm lower-case hash name, one of {@code sha-1, sha-224, sha-256, sha-384, sha-512}
 * @param hash the digest bytes (defensively copied)
 */
public record DtlsFingerprint(String algorithm, byte[] hash) {

    public DtlsFingerprint {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(hash, "hash");
        algorithm = algorithm.toLowerCase(Locale.ROOT);
        jcaName(algorithm);
        hash = hash.clone();
    }

    /**
     * Parses the value of an SDP fingerprint attribute, e.g. {@code "sha-256 AB:CD:..."}.
     *
     * @throws IllegalArgumentException if the text is not a fingerprint of a supported hash
     */
    public static DtlsFingerprint parse(String sdpValue) {
        Objects.requireNonNull(sdpValue, "sdpValue");
        String[] parts = sdpValue.trim().split("\\s+");
        if (parts.length != 2) {
            throw new IllegalArgumentException("fingerprint must be '<hash-func> <hex:pairs>', was: " + sdpValue);
        }
        return of(parts[0], parts[1]);
    }

    /** A fingerprint from its algorithm name and colon-separated hex (case-insensitive). */
    public static DtlsFingerprint of(String algorithm, String colonHex) {
        String hex = colonHex.replace(":", "");
        byte[] bytes;
        try {
            bytes = HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("fingerprint is not colon-separated hex: " + colonHex, e);
        }
        DtlsFingerprint fp = new DtlsFingerprint(algorithm, bytes);
        if (bytes.length != fp.newDigest().getDigestLength()) {
            throw new IllegalArgumentException(algorithm + " fingerprint must have "
                    + fp.newDigest().getDigestLength() + " bytes, had " + bytes.length);
        }
        return fp;
    }

    /** The fingerprint of a DER-encoded certificate with the given hash. */
    public static DtlsFingerprint ofCertificate(String algorithm, byte[] der) {
        DtlsFingerprint probe = new DtlsFingerprint(algorithm, new byte[0]);
        return new DtlsFingerprint(algorithm, probe.newDigest().digest(der));
    }

    /** True if {@code der} hashes to this fingerprint (constant-time compare). */
    public boolean matches(byte[] der) {
        return MessageDigest.isEqual(hash, newDigest().digest(der));
    }

    @Override
    public byte[] hash() {
        return hash.clone();
    }

    /** The SDP form, e.g. {@code sha-256 AB:CD:...}. */
    public String toSdp() {
        return algorithm + " " + HexFormat.ofDelimiter(":").withUpperCase().formatHex(hash);
    }

    @Override
    public String toString() {
        return toSdp();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DtlsFingerprint f && f.algorithm.equals(algorithm) && MessageDigest.isEqual(f.hash, hash);
    }

    @Override
    public int hashCode() {
        return algorithm.hashCode() * 31 + java.util.Arrays.hashCode(hash);
    }

    private MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(jcaName(algorithm));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String jcaName(String algorithm) {
        return switch (algorithm) {
            case "sha-1" -> "SHA-1";
            case "sha-224" -> "SHA-224";
            case "sha-256" -> "SHA-256";
            case "sha-384" -> "SHA-384";
            case "sha-512" -> "SHA-512";
            default -> throw new IllegalArgumentException("unsupported fingerprint hash: " + algorithm);
        };
    }
}
