/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.auth;

import dev.cskit.api.CsConfig;
import dev.cskit.api.Ids;
import dev.cskit.api.annotation.Nullable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues and verifies signed tokens: link tokens (a party of one session, with an expiry) and agent login
 * tokens (an agent, with an expiry).
 *
 * <p>Format: {@code base64url(payload) "." base64url(HMAC-SHA256(key, base64url(payload)))}, no padding
 * (RFC 4648 §5; HMAC per RFC 2104). Payloads are {@code L|<exp epoch s>|<role>|<session id>|<subject>} and
 * {@code A|<exp epoch s>|<agent id>|<generation>}, and monitor tokens {@code M|<exp epoch s>|<session id>|<supervisor id>}
 * (tokens of round 1, without the generation, read as
 * generation 0). The MAC is compared in constant time; expiry is checked against the clock (expired when
 * {@code now >= exp}); an agent login token must also pass the {@linkplain #withAgentCheck agent check} (its
 * agent still exists, is enabled and has not been revoked since).
 *
 * <p><b>Threading:</b> immutable and thread-safe.
 */
public final class TokenService {

    /** Where a generated key is kept in the data directory. */
    public static final String SECRET_FILE = "link_secret";
    private static final String HMAC = "HmacSHA256";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final int MAX_TOKEN_LENGTH = 2048;

    private final SecretKeySpec key;
    private final Clock clock;
    private final Predicate<TokenPrincipal.Agent> agentCheck;

    /**
     * @param key   the HMAC key, at least 16 bytes
     * @param clock expiry is checked against it
     */
    public TokenService(byte[] key, Clock clock) {
        Objects.requireNonNull(key, "key");
        if (key.length < 16) {
            throw new IllegalArgumentException("the token key must be at least 16 bytes, was " + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), HMAC);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.agentCheck = a -> true;
    }

    private TokenService(TokenService base, Predicate<TokenPrincipal.Agent> agentCheck) {
        this.key = base.key;
        this.clock = base.clock;
        this.agentCheck = agentCheck;
    }

    /**
     * This service, refusing ({@link TokenFailure#REVOKED}) agent login tokens that {@code stillValid} rejects:
     * the agent is unknown, disabled, or of another generation.
     */
    public TokenService withAgentCheck(Predicate<TokenPrincipal.Agent> stillValid) {
        return new TokenService(this, Objects.requireNonNull(stillValid, "stillValid"));
    }

    /**
     * The key from {@code link_secret} if configured; else one kept in {@code data_dir/link_secret} (created
     * with 32 random bytes and mode 0600 the first time) so links survive a restart; else a fresh in-memory
     * key (links die with the process).
     */
    public static TokenService fromConfig(CsConfig config, Clock clock) throws IOException {
        if (config.linkSecret().isPresent()) {
            return new TokenService(config.linkSecret().get().getBytes(StandardCharsets.UTF_8), clock);
        }
        if (config.dataDir().isPresent()) {
            return new TokenService(loadOrCreateSecret(config.dataDir().get()), clock);
        }
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return new TokenService(k, clock);
    }

    static byte[] loadOrCreateSecret(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        Path file = dataDir.resolve(SECRET_FILE);
        if (!Files.exists(file)) {
            byte[] k = new byte[32];
            new SecureRandom().nextBytes(k);
            byte[] text = (B64.encodeToString(k) + "\n").getBytes(StandardCharsets.US_ASCII);
            try {
                if (Files.getFileStore(dataDir).supportsFileAttributeView("posix")) {
                    Set<PosixFilePermission> perms = PosixFilePermissions.fromString("rw-------");
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(perms));
                } else {
                    Files.createFile(file);
                }
                Files.write(file, text, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
                return k;
            } catch (FileAlreadyExistsException raced) {
                // another start created it meanwhile: read theirs
            }
        }
        String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        byte[] k;
        try {
            k = B64D.decode(text);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " is not a base64url key; delete it to generate a new one "
                    + "(links issued before stop working)", e);
        }
        if (k.length < 16) {
            throw new IOException(file + " holds a key shorter than 16 bytes; delete it to generate a new one");
        }
        return k;
    }

    /**
     * A link token for one party of a session.
     *
     * @param subject the user id it is for (customer id, or the assigned agent id), or {@code null} for any
     *                agent assigned to the session when it is used
     */
    public String issueLink(String sessionId, LinkRole role, @Nullable String subject, Instant expiresAt) {
        Ids.require("session id", sessionId);
        Objects.requireNonNull(role, "role");
        if (subject != null) {
            Ids.require("user id", subject);
        }
        return sign("L|" + expiresAt.getEpochSecond() + "|" + role.wireName() + "|" + sessionId + "|"
                + (subject == null ? "" : subject));
    }

    /** An agent login token of the agent's current {@code generation}. */
    public String issueAgent(String agentId, int generation, Instant expiresAt) {
        Ids.require("agent id", agentId);
        if (generation < 0) {
            throw new IllegalArgumentException("generation must not be negative, was " + generation);
        }
        return sign("A|" + expiresAt.getEpochSecond() + "|" + agentId + "|" + generation);
    }

    /** A monitor token: {@code supervisorId} listens to session {@code sessionId} ({@link TokenPrincipal.Monitor}). */
    public String issueMonitor(String sessionId, String supervisorId, Instant expiresAt) {
        Ids.require("session id", sessionId);
        Ids.require("supervisor id", supervisorId);
        return sign("M|" + expiresAt.getEpochSecond() + "|" + sessionId + "|" + supervisorId);
    }

    private String sign(String payload) {
        String p = B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        return p + "." + B64.encodeToString(mac(p));
    }

    private byte[] mac(String encodedPayload) {
        try {
            Mac m = Mac.getInstance(HMAC);
            m.init(key);
            return m.doFinal(encodedPayload.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
        }
    }

    /** Checks a token's form, signature and expiry. Never throws for bad input. */
    public TokenVerification verify(@Nullable String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return malformed("the token is empty or too long");
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.') || dot == token.length() - 1) {
            return malformed("a token has the form <payload>.<signature>");
        }
        String p = token.substring(0, dot);
        byte[] given;
        byte[] payload;
        try {
            given = B64D.decode(token.substring(dot + 1));
            payload = B64D.decode(p);
        } catch (IllegalArgumentException e) {
            return malformed("the token is not base64url");
        }
        if (!MessageDigest.isEqual(mac(p), given)) {
            return new TokenVerification.Invalid(TokenFailure.BAD_SIGNATURE,
                    "the token's signature does not match; it was altered or issued by another server");
        }
        String[] f = new String(payload, StandardCharsets.UTF_8).split("\\|", -1);
        TokenPrincipal principal;
        try {
            Instant exp = Instant.ofEpochSecond(Long.parseLong(f[1]));
            if ("L".equals(f[0]) && f.length == 5 && !f[3].isEmpty()) {
                principal = new TokenPrincipal.Link(f[3], LinkRole.fromWire(f[2]), f[4].isEmpty() ? null : f[4], exp);
            } else if ("A".equals(f[0]) && (f.length == 3 || f.length == 4)) {
                if (f[2].isEmpty()) {
                    return malformed("the token names no agent");
                }
                int generation = f.length == 4 ? Integer.parseInt(f[3]) : 0;
                principal = new TokenPrincipal.Agent(f[2], generation, exp);
            } else if ("M".equals(f[0]) && f.length == 4 && !f[2].isEmpty() && !f[3].isEmpty()) {
                principal = new TokenPrincipal.Monitor(f[2], f[3], exp);
            } else {
                return malformed("unknown token kind");
            }
        } catch (RuntimeException e) {
            return malformed("unreadable token payload");
        }
        if (!clock.instant().isBefore(principal.expiresAt())) {
            return new TokenVerification.Invalid(TokenFailure.EXPIRED,
                    "the token expired at " + principal.expiresAt() + "; ask for a new link or log in again");
        }
        if (principal instanceof TokenPrincipal.Agent a && !agentCheck.test(a)) {
            return new TokenVerification.Invalid(TokenFailure.REVOKED, "this login of agent " + a.agentId()
                    + " is no longer valid (the agent was disabled, removed or its password reset); log in again");
        }
        return new TokenVerification.Valid(principal);
    }

    private static TokenVerification malformed(String why) {
        return new TokenVerification.Invalid(TokenFailure.MALFORMED, "malformed token: " + why);
    }
}
