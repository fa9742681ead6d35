/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.sdp;

import java.util.List;
import java.util.Optional;

/**
 * Transport and media parameters agreed by an offer/answer exchange.
 *
 * @param remoteUfrag the offerer's ice-ufrag
 * @param remotePwd the offerer's ice-pwd
 * @param remoteFingerprintAlgorithm hash function of the offerer's certificate fingerprint, e.g. "sha-256"
 * @param remoteFingerprint the fingerprint value, "XX:XX:…" (upper case)
 * @param remoteSetup the offer's a=setup ("actpass" or "active"); the server is always DTLS server (passive)
 * @param media the accepted media sections in offer order (rejected ones are absent)
 */
public record NegotiatedSession(String remoteUfrag, String remotePwd, String remoteFingerprintAlgorithm,
        String remoteFingerprint, String remoteSetup, List<NegotiatedMedia> media) {
    /** Copies the list. */
    public NegotiatedSession {
        media = List.copyOf(media);
    }

    /** The accepted section with {@code mid}. */
    public Optional<NegotiatedMedia> media(String mid) {
        for (NegotiatedMedia m : media) {
            if (m.mid().equals(mid)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
