/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.media;

import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.http.HttpResponse;
import dev.cskit.api.media.IceConfig;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code server.ice_servers} as RFC 9725 §4.6 {@code Link} header values for one party: one per URL,
 * {@code <turn:host:3478?transport=udp>; rel="ice-server"; username="…"; credential="…"; credential-type="password"}.
 * A TURN server without static credentials gets ephemeral ones from {@code turn_secret}, as coturn's
 * {@code use-auth-secret} checks them: username {@code <unix expiry>:<user>}, credential
 * base64(HMAC-SHA1(secret, username)). Thread-safe.
 */
final class IceServerLinks {

    /** The response header that tells the SDK the {@code ice_transport_policy} (the Link header has no room for it). */
    static final String POLICY_HEADER = "Cskit-Ice-Transport-Policy";

    private final IceConfig config;
    private final Clock clock;

    IceServerLinks(IceConfig config, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The Link values for {@code user}; empty when no servers are configured. With {@code user} null (a client
     * that is no party yet) TURN servers with ephemeral credentials are left out.
     */
    List<String> forUser(@Nullable String user) {
        List<String> out = new ArrayList<>();
        for (IceConfig.Server s : config.servers()) {
            String username = s.username();
            String credential = s.credential();
            if (s.isTurn() && !s.hasCredentials()) {
                if (user == null) {
                    continue;
                }
                long expiry = clock.instant().plus(config.turnTtl()).getEpochSecond();
                username = expiry + ":" + user;
                credential = restCredential(config.turnSecret(), username);
            }
            for (String url : s.urls()) {
                StringBuilder b = new StringBuilder("<").append(url).append(">; rel=\"ice-server\"");
                if (username != null && url.startsWith("turn")) {
                    b.append("; username=\"").append(username).append("\"; credential=\"").append(credential)
                            .append("\"; credential-type=\"password\"");
                }
                out.add(b.toString());
            }
        }
        return out;
    }

    /** The relay policy, for {@link #POLICY_HEADER}. */
    IceConfig.Policy policy() {
        return config.policy();
    }

    /** Whether any server is configured. */
    boolean isEmpty() {
        return config.servers().isEmpty();
    }

    /** The TURN REST credential of {@code username}: base64(HMAC-SHA1(secret, username)). */
    static String restCredential(String secret, String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
        }
    }

    /**
     * {@code r} with the ICE servers as {@code Link} headers (RFC 9725 §4.6) and the transport policy; TURN with
     * ephemeral credentials only for a party ({@code user} not null).
     */
    HttpResponse addTo(HttpResponse r, @Nullable String user) {
        if (isEmpty()) {
            return r;
        }
        HttpResponse out = r.withHeader(POLICY_HEADER, policy().wire());
        for (String link : forUser(user)) {
            out = out.withHeader("Link", link);
        }
        return out;
    }
}
