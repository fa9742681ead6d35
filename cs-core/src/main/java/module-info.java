/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */

/**
 * The customer-service plugin: sessions, agents and routing, call signaling, the HTTP resources, tokens, webhooks
 * and the WebRTC gateway, behind {@link dev.cskit.api.CustomerServicePlugin} (found with
 * {@link dev.cskit.api.CustomerServicePlugin#load()}, or {@link dev.cskit.core.CustomerService} built directly).
 * No server inside.
 *
 * <p>Not exported: {@code core.agent.lobby} (the agents' room frames) and {@code core.json} (JSON helpers); what
 * the rest exports is what {@code CustomerService}'s own API reaches. cs-api, cs-media and Jackson databind types
 * appear in exported signatures, so they are required transitively. {@code com.google.zxing} (QR codes of the
 * call links) is an automatic module: zxing's jar names itself but has no module descriptor.
 */
@SuppressWarnings("requires-automatic")
module dev.cskit.core {
    requires transitive dev.cskit.api;
    requires transitive dev.cskit.media;
    requires transitive com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.core;
    requires com.google.zxing;
    requires java.desktop; // javax.imageio writes the QR code PNGs
    requires java.net.http; // webhook deliveries
    requires org.bouncycastle.provider;
    requires org.slf4j;

    exports dev.cskit.core;
    exports dev.cskit.core.agent;
    exports dev.cskit.core.auth;
    exports dev.cskit.core.cluster;
    exports dev.cskit.core.files;
    exports dev.cskit.core.http;
    exports dev.cskit.core.media;
    exports dev.cskit.core.metrics;
    exports dev.cskit.core.session;
    exports dev.cskit.core.signal;
    exports dev.cskit.core.web;
    exports dev.cskit.core.webhook;

    // Also listed in META-INF/services/dev.cskit.api.CustomerServicePlugin, for the class path.
    provides dev.cskit.api.CustomerServicePlugin with dev.cskit.core.CustomerService;
}
