/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cskit.api.AgentAccount;
import dev.cskit.api.CsConfig;
import dev.cskit.api.FileType;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.media.IceConfig;
import dev.cskit.api.webhook.WebhookEndpoint;
import dev.cskit.api.webhook.WebhookEventType;
import dev.cskit.api.webhook.WebhookSettings;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads the YAML configuration (every key optional, unknown keys rejected) and maps it onto
 * {@link ServerConfig} and {@link CsConfig}. Stateless and thread-safe.
 */
public final class ConfigLoader {

    /** The sections of a loaded configuration; {@code cluster} is null for a single node (the default). */
    public record Loaded(ServerConfig server, CsConfig customerService, @Nullable ClusterConfig cluster) {

        /** A single node. */
        public Loaded(ServerConfig server, CsConfig customerService) {
            this(server, customerService, null);
        }
    }

    // The file's shape; null means "not set, keep the default".
    record FileRoot(@Nullable ServerSection server,
                    @JsonProperty("customer_service") @Nullable CsSection customerService,
                    @Nullable ClusterSection cluster) {
    }

    record ClusterSection(@Nullable String redis, @JsonProperty("node_id") @Nullable String nodeId,
                          @JsonProperty("public_url") @Nullable String publicUrl) {
    }

    record ServerSection(@Nullable Integer port,
                         @JsonProperty("media_port") @Nullable Integer mediaPort,
                         @JsonProperty("media_ports") @Nullable String mediaPorts,
                         @JsonProperty("public_ip") @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                         @Nullable List<String> publicIp,
                         @JsonProperty("heartbeat_timeout") @Nullable Integer heartbeatTimeout,
                         @Nullable TlsSection tls,
                         @JsonProperty("http_redirect_port") @Nullable Integer httpRedirectPort,
                         @JsonProperty("trusted_proxies") @Nullable List<String> trustedProxies,
                         @JsonProperty("header_timeout") @Nullable Integer headerTimeout,
                         @JsonProperty("body_timeout") @Nullable Integer bodyTimeout,
                         @JsonProperty("drain_timeout") @Nullable Integer drainTimeout,
                         @JsonProperty("metrics_token") @Nullable String metricsToken,
                         @JsonProperty("media_tcp_port") @Nullable Object mediaTcpPort,
                         @JsonProperty("ice_servers") @Nullable List<IceServerEntry> iceServers,
                         @JsonProperty("turn_secret") @Nullable String turnSecret,
                         @JsonProperty("turn_ttl") @Nullable Integer turnTtl,
                         @JsonProperty("ice_transport_policy") @Nullable String iceTransportPolicy) {
    }

    record IceServerEntry(@JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) @Nullable List<String> urls,
                          @Nullable String username, @Nullable String credential) {
    }

    record TlsSection(@Nullable String cert, @Nullable String key,
                      @JsonProperty("self_signed") @Nullable Boolean selfSigned) {
    }

    record CsSection(@JsonProperty("max_sessions") @Nullable Integer maxSessions,
                     @JsonProperty("session_timeout") @Nullable Integer sessionTimeout,
                     @JsonProperty("enable_recording") @Nullable Boolean enableRecording,
                     @JsonProperty("recording_dir") @Nullable String recordingDir,
                     @JsonProperty("consent_notice") @Nullable String consentNotice,
                     @JsonProperty("data_dir") @Nullable String dataDir,
                     @JsonProperty("link_secret") @Nullable String linkSecret,
                     @Nullable List<AgentEntry> agents,
                     @JsonProperty("admin_token") @Nullable String adminToken,
                     @JsonProperty("public_url") @Nullable String publicUrl,
                     @JsonProperty("srtp_profiles") @Nullable List<String> srtpProfiles,
                     @JsonProperty("auto_assign") @Nullable Boolean autoAssign,
                     @JsonProperty("ring_timeout") @Nullable Integer ringTimeout,
                     @JsonProperty("wrap_up") @Nullable Integer wrapUp,
                     @JsonProperty("cors_origins") @Nullable List<String> corsOrigins,
                     @JsonProperty("max_file_size") @Nullable Long maxFileSize,
                     @JsonProperty("file_types") @Nullable List<String> fileTypes,
                     @JsonProperty("retention_days") @Nullable Integer retentionDays,
                     @Nullable List<WebhookEntry> webhooks,
                     @JsonProperty("webhook_delivery") @Nullable WebhookDeliverySection webhookDelivery,
                     @JsonProperty("max_media_per_party") @Nullable Integer maxMediaPerParty,
                     @JsonProperty("media_memory_mb") @Nullable Integer mediaMemoryMb,
                     @JsonProperty("media_connect_timeout") @Nullable Integer mediaConnectTimeout,
                     @JsonProperty("supervisor_badge") @Nullable Boolean supervisorBadge) {
    }

    record WebhookEntry(@Nullable String url, @Nullable String secret, @Nullable List<String> events) {
    }

    record WebhookDeliverySection(@JsonProperty("max_age") @Nullable Integer maxAge, @Nullable Integer timeout,
                                  @Nullable Integer concurrency,
                                  @JsonProperty("max_retry_interval") @Nullable Integer maxRetryInterval) {
    }

    record AgentEntry(@Nullable String id, @Nullable String name,
                      @JsonProperty("password_hash") @Nullable String passwordHash, @Nullable Boolean supervisor) {
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private ConfigLoader() {
    }

    /** The embedded defaults (no file). */
    public static Loaded defaults() {
        return new Loaded(ServerConfig.DEFAULTS, CsConfig.newBuilder().autoAssign(true).createFirstAgent(true).build());
    }

    /** Reads a YAML file. */
    public static Loaded load(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist");
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /** Parses YAML text; {@code source} names it in error messages. */
    public static Loaded parse(String yaml, String source) throws ConfigException {
        FileRoot root;
        try {
            root = yaml.isBlank() ? null : YAML.readValue(yaml, FileRoot.class);
        } catch (UnrecognizedPropertyException e) {
            String where = path(e);
            String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            throw new ConfigException(source + ": unknown key '" + (where.isEmpty() ? "" : where + ".")
                    + e.getPropertyName() + "'" + (known.isEmpty() ? "" : "; known keys here: " + known), e);
        } catch (JsonMappingException e) {
            throw new ConfigException(source + ": bad value at '" + path(e) + "': " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new ConfigException(source + ": not valid YAML: " + e.getOriginalMessage(), e);
        }
        try {
            return map(root);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ConfigException(source + ": " + e.getMessage(), e);
        }
    }

    // Each entry may itself be a comma list ("203.0.113.7, 2001:db8::7").
    private static List<String> publicIps(List<String> entries) {
        List<String> out = new ArrayList<>();
        for (String e : entries) {
            if (e != null) {
                out.addAll(ServerConfig.parsePublicIps(e));
            }
        }
        return out;
    }

    // media_tcp_port: a port, or 0 / false for no ICE-TCP (true: the default, each media loop's UDP port number).
    private static int mediaTcpPort(Object v) {
        if (v instanceof Boolean b) {
            return b ? ServerConfig.MEDIA_TCP_SAME_AS_UDP : ServerConfig.MEDIA_TCP_OFF;
        }
        if (v instanceof Integer n && n >= 0 && n <= 65535) {
            return n;
        }
        throw new IllegalArgumentException("server.media_tcp_port must be a TCP port (1..65535), or 0 or false to turn"
                + " ICE-TCP off, was '" + v + "'");
    }

    private static String path(JsonMappingException e) {
        List<String> parts = new ArrayList<>();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                parts.add(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                parts.add("[" + r.getIndex() + "]");
            }
        }
        // The last reference is the unknown key itself for UnrecognizedPropertyException.
        if (e instanceof UnrecognizedPropertyException && !parts.isEmpty()) {
            parts.remove(parts.size() - 1);
        }
        return String.join(".", parts).replace(".[", "[");
    }

    private static Loaded map(@Nullable FileRoot root) {
        ServerConfig server = ServerConfig.DEFAULTS;
        // The standalone server routes new sessions to Ready agents unless the file says auto_assign: false, and
        // a first start with no agent at all makes agent_001 (its password in the log and data_dir/first-agent.txt).
        CsConfig.Builder cs = CsConfig.newBuilder().autoAssign(true).createFirstAgent(true);
        if (root != null && root.server() != null) {
            ServerSection s = root.server();
            server = new ServerConfig(
                    s.port() != null ? s.port() : server.port(),
                    s.mediaPort() != null ? s.mediaPort() : server.mediaPort(),
                    s.publicIp() != null ? publicIps(s.publicIp()) : server.publicIps(),
                    s.heartbeatTimeout() != null ? Duration.ofSeconds(s.heartbeatTimeout()) : server.heartbeatTimeout(),
                    web(s),
                    s.drainTimeout() != null ? Duration.ofSeconds(s.drainTimeout()) : server.drainTimeout(),
                    s.metricsToken() == null || s.metricsToken().isEmpty() ? null : s.metricsToken(), 1);
            if (s.mediaPorts() != null) {
                if (s.mediaPort() != null) {
                    throw new IllegalArgumentException("server.media_port and server.media_ports are both set: keep "
                            + "media_ports (a range, one media loop per port) or media_port (one port)");
                }
                server = server.withMediaPorts(s.mediaPorts());
            }
            if (s.mediaTcpPort() != null) {
                server = server.withMediaTcpPort(mediaTcpPort(s.mediaTcpPort()));
            }
            cs.iceConfig(iceConfig(s));
        }
        if (root != null && root.customerService() != null) {
            CsSection c = root.customerService();
            if (c.maxSessions() != null) {
                cs.maxSessions(c.maxSessions());
            }
            if (c.sessionTimeout() != null) {
                cs.sessionTimeout(Duration.ofSeconds(c.sessionTimeout()));
            }
            if (c.enableRecording() != null) {
                cs.enableRecording(c.enableRecording());
            }
            if (c.recordingDir() != null) {
                cs.recordingDir(Path.of(c.recordingDir()));
            }
            if (c.consentNotice() != null) {
                cs.consentNotice(c.consentNotice());
            }
            if (c.supervisorBadge() != null) {
                cs.supervisorBadge(c.supervisorBadge());
            }
            if (c.dataDir() != null) {
                cs.dataDir(Path.of(c.dataDir()));
            }
            cs.linkSecret(c.linkSecret());
            cs.adminToken(c.adminToken());
            cs.publicUrl(c.publicUrl());
            if (c.srtpProfiles() != null) {
                cs.srtpProfiles(c.srtpProfiles());
            }
            if (c.autoAssign() != null) {
                cs.autoAssign(c.autoAssign());
            }
            if (c.ringTimeout() != null) {
                cs.ringTimeout(Duration.ofSeconds(c.ringTimeout()));
            }
            if (c.wrapUp() != null) {
                cs.wrapUp(Duration.ofSeconds(c.wrapUp()));
            }
            if (c.corsOrigins() != null) {
                cs.corsOrigins(c.corsOrigins());
            }
            if (c.maxFileSize() != null) {
                cs.maxFileSize(c.maxFileSize());
            }
            if (c.fileTypes() != null) {
                List<FileType> types = new ArrayList<>();
                for (String t : c.fileTypes()) {
                    if (t == null) {
                        throw new IllegalArgumentException("customer_service.file_types has an empty entry");
                    }
                    types.add(FileType.fromWire(t));
                }
                cs.fileTypes(types);
            }
            if (c.retentionDays() != null) {
                cs.retentionDays(c.retentionDays());
            }
            if (c.maxMediaPerParty() != null) {
                cs.maxMediaPerParty(c.maxMediaPerParty());
            }
            if (c.mediaMemoryMb() != null) {
                if (c.mediaMemoryMb() < 1) {
                    throw new IllegalArgumentException("customer_service.media_memory_mb must be at least 1, was "
                            + c.mediaMemoryMb() + "; leave it out for a quarter of the heap");
                }
                cs.mediaMemoryBytes(c.mediaMemoryMb() * 1024L * 1024L);
            }
            if (c.mediaConnectTimeout() != null) {
                cs.mediaConnectTimeout(Duration.ofSeconds(c.mediaConnectTimeout()));
            }
            if (c.webhooks() != null) {
                cs.webhooks(webhooks(c.webhooks()));
            }
            if (c.webhookDelivery() != null) {
                WebhookDeliverySection w = c.webhookDelivery();
                WebhookSettings d = WebhookSettings.DEFAULTS;
                cs.webhookSettings(new WebhookSettings(
                        w.maxAge() != null ? Duration.ofSeconds(w.maxAge()) : d.maxAge(),
                        w.timeout() != null ? Duration.ofSeconds(w.timeout()) : d.timeout(),
                        w.concurrency() != null ? w.concurrency() : d.concurrency(),
                        w.maxRetryInterval() != null ? Duration.ofSeconds(w.maxRetryInterval()) : d.maxRetryInterval()));
            }
            if (c.agents() != null) {
                List<AgentAccount> agents = new ArrayList<>();
                for (int i = 0; i < c.agents().size(); i++) {
                    AgentEntry a = c.agents().get(i);
                    if (a == null || a.id() == null || a.id().isBlank()) {
                        throw new IllegalArgumentException("customer_service.agents[" + i + "] needs an id");
                    }
                    String hash = a.passwordHash() == null ? "" : a.passwordHash();
                    if (!hash.isEmpty() && !hash.matches("\\$2[aby]\\$\\d\\d\\$.{53}")) {
                        throw new IllegalArgumentException("customer_service.agents[" + i + "].password_hash is not a "
                                + "bcrypt hash; make one with: java -jar cs-server.jar hash-password");
                    }
                    try {
                        agents.add(new AgentAccount(a.id(), a.name() == null ? a.id() : a.name(), hash, true, 0,
                                Boolean.TRUE.equals(a.supervisor())));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("customer_service.agents[" + i + "]: " + e.getMessage(), e);
                    }
                }
                cs.agents(agents);
            }
        }
        CsConfig built = cs.build();
        ClusterConfig cluster = root == null || root.cluster() == null ? null : cluster(root.cluster());
        if (cluster != null && built.linkSecret().isEmpty()) {
            throw new IllegalArgumentException("cluster: set customer_service.link_secret, the same on every node, so "
                    + "that a link or agent token made by one node is accepted by the others");
        }
        return new Loaded(server, built, cluster);
    }

    private static ClusterConfig cluster(ClusterSection c) {
        if (c.redis() == null || c.redis().isBlank()) {
            throw new IllegalArgumentException("cluster.redis is required: the Redis the nodes share, e.g. "
                    + "redis://127.0.0.1:6379/0 (leave the cluster section out for a single node)");
        }
        if (c.nodeId() == null || c.nodeId().isBlank()) {
            throw new IllegalArgumentException("cluster.node_id is required: this node's id, unique in the cluster "
                    + "and the same across its restarts, e.g. node-1");
        }
        URI redis;
        URI publicUrl = null;
        try {
            redis = new URI(c.redis().trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cluster.redis is not a URI: " + e.getReason(), e);
        }
        if (c.publicUrl() != null && !c.publicUrl().isBlank()) {
            try {
                publicUrl = new URI(c.publicUrl().trim());
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("cluster.public_url is not a URL: " + e.getMessage(), e);
            }
        }
        return new ClusterConfig(redis, c.nodeId().trim(), publicUrl);
    }

    // server.ice_servers, turn_secret, turn_ttl and ice_transport_policy: what clients are told to use.
    private static IceConfig iceConfig(ServerSection s) {
        List<IceConfig.Server> servers = new ArrayList<>();
        List<IceServerEntry> entries = s.iceServers() == null ? List.of() : s.iceServers();
        for (int i = 0; i < entries.size(); i++) {
            IceServerEntry e = entries.get(i);
            if (e == null || e.urls() == null || e.urls().isEmpty() || e.urls().contains(null)) {
                throw new IllegalArgumentException("server.ice_servers[" + i + "] needs urls (turn:host:3478 …)");
            }
            try {
                servers.add(new IceConfig.Server(e.urls(), e.username(), e.credential()));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("server.ice_servers[" + i + "]: " + ex.getMessage(), ex);
            }
        }
        Duration ttl = s.turnTtl() != null ? Duration.ofSeconds(s.turnTtl()) : IceConfig.NONE.turnTtl();
        IceConfig.Policy policy = s.iceTransportPolicy() != null ? IceConfig.Policy.fromWire(s.iceTransportPolicy())
                : IceConfig.Policy.ALL;
        return new IceConfig(servers, s.turnSecret(), ttl, policy);
    }

    private static List<WebhookEndpoint> webhooks(List<WebhookEntry> entries) {
        List<WebhookEndpoint> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            WebhookEntry w = entries.get(i);
            String where = "customer_service.webhooks[" + i + "]";
            if (w == null || w.url() == null || w.url().isBlank()) {
                throw new IllegalArgumentException(where + " needs a url");
            }
            if (w.secret() == null || w.secret().isEmpty()) {
                throw new IllegalArgumentException(where + " needs a secret (e.g. whsec_ and the base64 of 24 random "
                        + "bytes: openssl rand -base64 24)");
            }
            try {
                EnumSet<WebhookEventType> events = EnumSet.noneOf(WebhookEventType.class);
                if (w.events() != null) {
                    if (w.events().isEmpty()) {
                        throw new IllegalArgumentException("events is empty; leave it out to hear every event");
                    }
                    for (String e : w.events()) {
                        events.add(WebhookEventType.fromWire(String.valueOf(e)));
                    }
                }
                out.add(new WebhookEndpoint(new URI(w.url().trim()), w.secret(), events));
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(where + ": url is not a URL: " + e.getMessage(), e);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static ServerConfig.Web web(ServerSection s) {
        ServerConfig.Web d = ServerConfig.Web.DEFAULTS;
        ServerConfig.Tls tls = null;
        if (s.tls() != null) {
            TlsSection t = s.tls();
            tls = new ServerConfig.Tls(t.cert() == null ? null : Path.of(t.cert()),
                    t.key() == null ? null : Path.of(t.key()), Boolean.TRUE.equals(t.selfSigned()));
        }
        return new ServerConfig.Web(tls, s.httpRedirectPort(),
                s.trustedProxies() != null ? s.trustedProxies() : d.trustedProxies(),
                s.headerTimeout() != null ? Duration.ofSeconds(s.headerTimeout()) : d.headerTimeout(),
                s.bodyTimeout() != null ? Duration.ofSeconds(s.bodyTimeout()) : d.bodyTimeout());
    }
}
