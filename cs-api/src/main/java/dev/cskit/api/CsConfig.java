/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api;

import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.http.WebOrigin;
import dev.cskit.api.media.IceConfig;
import dev.cskit.api.webhook.WebhookEndpoint;
import dev.cskit.api.webhook.WebhookSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code customer_service} section of the configuration. Immutable; build with {@link #newBuilder()}.
 * Every setting has the default of PROTOCOL.md.
 */
public final class CsConfig {

    /** The {@code consent_notice} unless configured. */
    public static final String DEFAULT_CONSENT_NOTICE = "This call is recorded for quality and training purposes.";
    /** The longest {@code consent_notice}, in characters. */
    public static final int MAX_CONSENT_NOTICE_LENGTH = 1000;

    private final int maxSessions;
    private final Duration sessionTimeout;
    private final boolean enableRecording;
    private final Path recordingDir;
    private final String consentNotice;
    private final @Nullable Path dataDir;
    private final @Nullable String linkSecret;
    private final List<AgentAccount> agents;
    private final @Nullable String adminToken;
    private final @Nullable String publicUrl;
    private final List<String> srtpProfiles;
    private final boolean autoAssign;
    private final Duration ringTimeout;
    private final Duration wrapUp;
    private final List<String> corsOrigins;
    private final boolean createFirstAgent;
    private final long maxFileSize;
    private final Set<FileType> fileTypes;
    private final int retentionDays;
    private final List<WebhookEndpoint> webhooks;
    private final WebhookSettings webhookSettings;
    private final int maxMediaPerParty;
    private final long mediaMemoryBytes;
    private final Duration mediaConnectTimeout;
    private final IceConfig iceConfig;
    private final boolean supervisorBadge;

    private CsConfig(Builder b) {
        this.maxSessions = b.maxSessions;
        this.sessionTimeout = b.sessionTimeout;
        this.enableRecording = b.enableRecording;
        this.recordingDir = b.recordingDir;
        this.consentNotice = b.consentNotice;
        this.dataDir = b.dataDir;
        this.linkSecret = b.linkSecret;
        this.agents = List.copyOf(b.agents);
        this.adminToken = b.adminToken;
        this.publicUrl = b.publicUrl;
        this.srtpProfiles = List.copyOf(b.srtpProfiles);
        this.autoAssign = b.autoAssign;
        this.ringTimeout = b.ringTimeout;
        this.wrapUp = b.wrapUp;
        this.corsOrigins = List.copyOf(b.corsOrigins);
        this.createFirstAgent = b.createFirstAgent;
        this.maxFileSize = b.maxFileSize;
        this.fileTypes = Collections.unmodifiableSet(EnumSet.copyOf(b.fileTypes));
        this.retentionDays = b.retentionDays;
        this.webhooks = List.copyOf(b.webhooks);
        this.webhookSettings = b.webhookSettings;
        this.maxMediaPerParty = b.maxMediaPerParty;
        this.mediaMemoryBytes = b.mediaMemoryBytes;
        this.mediaConnectTimeout = b.mediaConnectTimeout;
        this.iceConfig = b.iceConfig;
        this.supervisorBadge = b.supervisorBadge;
    }

    /** Defaults everywhere: 1000 sessions, 3600 s timeout, no recording, data in {@code ./data}. */
    public static CsConfig defaults() {
        return newBuilder().build();
    }

    public static Builder newBuilder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxSessions = maxSessions;
        b.sessionTimeout = sessionTimeout;
        b.enableRecording = enableRecording;
        b.recordingDir = recordingDir;
        b.consentNotice = consentNotice;
        b.dataDir = dataDir;
        b.linkSecret = linkSecret;
        b.agents = agents;
        b.adminToken = adminToken;
        b.publicUrl = publicUrl;
        b.srtpProfiles = srtpProfiles;
        b.autoAssign = autoAssign;
        b.ringTimeout = ringTimeout;
        b.wrapUp = wrapUp;
        b.corsOrigins = corsOrigins;
        b.createFirstAgent = createFirstAgent;
        b.maxFileSize = maxFileSize;
        b.fileTypes = fileTypes;
        b.retentionDays = retentionDays;
        b.webhooks = webhooks;
        b.webhookSettings = webhookSettings;
        b.maxMediaPerParty = maxMediaPerParty;
        b.mediaMemoryBytes = mediaMemoryBytes;
        b.mediaConnectTimeout = mediaConnectTimeout;
        b.iceConfig = iceConfig;
        b.supervisorBadge = supervisorBadge;
        return b;
    }

    /** Most sessions not yet ended at once; the next create is refused. */
    public int maxSessions() {
        return maxSessions;
    }

    /** A session not ended this long after creation is ended with reason {@code timeout}. */
    public Duration sessionTimeout() {
        return sessionTimeout;
    }

    public boolean enableRecording() {
        return enableRecording;
    }

    /** {@code supervisor_badge}: whether the agent's call page shows a badge while a supervisor listens (default on). */
    public boolean supervisorBadge() {
        return supervisorBadge;
    }

    public Path recordingDir() {
        return recordingDir;
    }

    /**
     * What the customer's call page says before its media starts when the call is recorded
     * ({@code consent_notice}; {@link #DEFAULT_CONSENT_NOTICE} unless set).
     */
    public String consentNotice() {
        return consentNotice;
    }

    /** Where sessions, ratings and the link secret are kept; empty means keep everything in memory. */
    public Optional<Path> dataDir() {
        return Optional.ofNullable(dataDir);
    }

    /** The HMAC key for links; empty means generate one (and keep it in the data dir, if any). */
    public Optional<String> linkSecret() {
        return Optional.ofNullable(linkSecret);
    }

    public List<AgentAccount> agents() {
        return agents;
    }

    /** The bearer token admin endpoints require; empty means admin endpoints answer loopback clients only. */
    public Optional<String> adminToken() {
        return Optional.ofNullable(adminToken);
    }

    /** The base URL links point at, e.g. {@code https://cs.example.com}; empty means take it from the request. */
    public Optional<String> publicUrl() {
        return Optional.ofNullable(publicUrl);
    }

    /**
     * The SRTP protection profiles the media server accepts, in its order of preference (RFC 5764 names without
     * the {@code SRTP_} prefix): by default {@code AES_CM_128_HMAC_SHA1_80}, then {@code AEAD_AES_128_GCM}.
     */
    public List<String> srtpProfiles() {
        return srtpProfiles;
    }

    /**
     * Whether new unassigned sessions are routed to Ready agents ({@code auto_assign}); false by default for
     * embedders (the standalone server turns it on). Manual assignment works either way.
     */
    public boolean autoAssign() {
        return autoAssign;
    }

    /** How long an offered call rings an agent before it goes to the next one ({@code ring_timeout}, 30 s). */
    public Duration ringTimeout() {
        return ringTimeout;
    }

    /** How long an agent stays in after-call work before Ready again ({@code wrap_up}, 0 = none). */
    public Duration wrapUp() {
        return wrapUp;
    }

    /**
     * Web origins of other sites whose pages may call the HTTP API ({@code cors_origins}; default none): they get
     * {@code Access-Control-Allow-Origin}, and their state-changing requests are not refused as cross-site.
     * Normalized ({@code https://app.example.com}, a default port left out). Pages the server serves itself need
     * no entry.
     */
    public List<String> corsOrigins() {
        return corsOrigins;
    }

    /**
     * Whether a first start with no agent at all (none configured, none ever stored) creates {@code agent_001}
     * with a random password, written to the log and to {@code data_dir/first-agent.txt}; false by default for
     * embedders (the standalone server turns it on).
     */
    public boolean createFirstAgent() {
        return createFirstAgent;
    }

    /** The largest file a party may send in a call's chat ({@code max_file_size}, 10 MiB), in bytes. */
    public long maxFileSize() {
        return maxFileSize;
    }

    /**
     * The kinds of file the chat accepts, recognised by content ({@code file_types}; by default png, jpeg, gif, webp,
     * pdf and text, {@link FileType#DEFAULTS}). Never empty.
     */
    public Set<FileType> fileTypes() {
        return fileTypes;
    }

    /**
     * Days after a session ended that its files are deleted ({@code retention_days}); 0, the default, keeps them.
     */
    public int retentionDays() {
        return retentionDays;
    }

    /** Where events are POSTed ({@code webhooks}); empty (the default) means no webhooks. */
    public List<WebhookEndpoint> webhooks() {
        return webhooks;
    }

    /** How webhook deliveries are timed out, retried and dead-lettered ({@code webhook_delivery}). */
    public WebhookSettings webhookSettings() {
        return webhookSettings;
    }

    /**
     * Most live WHIP/WHEP resources one party may have in one session ({@code max_media_per_party}, default 4: a
     * publish, a play, a screen share and one to spare); the next one is refused with 429.
     */
    public int maxMediaPerParty() {
        return maxMediaPerParty;
    }

    /**
     * The heap media state may take ({@code media_memory_mb}); empty (the default) means a quarter of the maximum
     * heap, at least 64 MiB. A new resource past it is refused with 503 and {@code Retry-After}.
     */
    public Optional<Long> mediaMemoryBytes() {
        return mediaMemoryBytes == 0 ? Optional.empty() : Optional.of(mediaMemoryBytes);
    }

    /** How long a WHIP/WHEP resource has to complete ICE and DTLS ({@code media_connect_timeout}, default 12 s). */
    public Duration mediaConnectTimeout() {
        return mediaConnectTimeout;
    }

    /**
     * The STUN/TURN servers handed to clients and their transport policy (the standalone server reads them from
     * {@code server.ice_servers}, {@code turn_secret}, {@code turn_ttl}, {@code ice_transport_policy}); default none.
     */
    public IceConfig iceConfig() {
        return iceConfig;
    }

    @Override
    public String toString() {
        return "CsConfig[maxSessions=" + maxSessions + ", sessionTimeout=" + sessionTimeout.getSeconds()
                + "s, enableRecording=" + enableRecording + ", dataDir=" + dataDir + ", agents=" + agents.size()
                + ", adminToken=" + (adminToken == null ? "unset" : "set") + ", autoAssign=" + autoAssign
                + ", ringTimeout=" + ringTimeout.getSeconds() + "s, wrapUp=" + wrapUp.getSeconds() + "s, maxFileSize="
                + maxFileSize + ", retentionDays=" + retentionDays + ", webhooks=" + webhooks.size() + "]";
    }

    /** Builds a {@link CsConfig}; not thread-safe. */
    public static final class Builder {
        private int maxSessions = 1000;
        private Duration sessionTimeout = Duration.ofSeconds(3600);
        private boolean enableRecording;
        private Path recordingDir = Path.of("recordings");
        private String consentNotice = DEFAULT_CONSENT_NOTICE;
        private @Nullable Path dataDir = Path.of("data");
        private @Nullable String linkSecret;
        private List<AgentAccount> agents = List.of();
        private @Nullable String adminToken;
        private @Nullable String publicUrl;
        private List<String> srtpProfiles = List.of("AES_CM_128_HMAC_SHA1_80", "AEAD_AES_128_GCM");
        private boolean autoAssign;
        private Duration ringTimeout = Duration.ofSeconds(30);
        private Duration wrapUp = Duration.ZERO;
        private List<String> corsOrigins = List.of();
        private boolean createFirstAgent;
        private long maxFileSize = 10L * 1024 * 1024;
        private Set<FileType> fileTypes = EnumSet.copyOf(FileType.DEFAULTS);
        private int retentionDays;
        private List<WebhookEndpoint> webhooks = List.of();
        private WebhookSettings webhookSettings = WebhookSettings.DEFAULTS;
        private int maxMediaPerParty = 4;
        private long mediaMemoryBytes;
        private Duration mediaConnectTimeout = Duration.ofSeconds(12);
        private IceConfig iceConfig = IceConfig.NONE;
        private boolean supervisorBadge = true;

        private Builder() {
        }

        public Builder maxMediaPerParty(int maxMediaPerParty) {
            if (maxMediaPerParty < 1) {
                throw new IllegalArgumentException("max_media_per_party must be at least 1, was " + maxMediaPerParty);
            }
            this.maxMediaPerParty = maxMediaPerParty;
            return this;
        }

        /** The media memory budget in bytes; 0 for the default (a quarter of the heap, at least 64 MiB). */
        public Builder mediaMemoryBytes(long mediaMemoryBytes) {
            if (mediaMemoryBytes != 0 && mediaMemoryBytes < 1024 * 1024) {
                throw new IllegalArgumentException("media_memory_mb must be at least 1, was "
                        + mediaMemoryBytes / (1024 * 1024));
            }
            this.mediaMemoryBytes = mediaMemoryBytes;
            return this;
        }

        /** STUN/TURN servers for clients and their transport policy; default {@link IceConfig#NONE}. */
        public Builder iceConfig(IceConfig iceConfig) {
            this.iceConfig = Objects.requireNonNull(iceConfig, "iceConfig");
            return this;
        }

        public Builder mediaConnectTimeout(Duration mediaConnectTimeout) {
            if (mediaConnectTimeout.isNegative() || mediaConnectTimeout.isZero()) {
                throw new IllegalArgumentException("media_connect_timeout must be positive, was "
                        + mediaConnectTimeout.getSeconds());
            }
            this.mediaConnectTimeout = mediaConnectTimeout;
            return this;
        }

        public Builder maxSessions(int maxSessions) {
            if (maxSessions < 1) {
                throw new IllegalArgumentException("max_sessions must be at least 1, was " + maxSessions);
            }
            this.maxSessions = maxSessions;
            return this;
        }

        public Builder sessionTimeout(Duration sessionTimeout) {
            if (sessionTimeout.isNegative() || sessionTimeout.isZero()) {
                throw new IllegalArgumentException("session_timeout must be positive, was " + sessionTimeout);
            }
            this.sessionTimeout = sessionTimeout;
            return this;
        }

        public Builder enableRecording(boolean enableRecording) {
            this.enableRecording = enableRecording;
            return this;
        }

        /** {@code supervisor_badge}: the agent's page shows that a supervisor listens. */
        public Builder supervisorBadge(boolean on) {
            this.supervisorBadge = on;
            return this;
        }

        public Builder recordingDir(Path recordingDir) {
            this.recordingDir = Objects.requireNonNull(recordingDir, "recordingDir");
            return this;
        }

        /**
         * The {@code consent_notice}, trimmed.
         *
         * @throws IllegalArgumentException if it is blank or longer than {@value #MAX_CONSENT_NOTICE_LENGTH} characters
         */
        public Builder consentNotice(String consentNotice) {
            String n = Objects.requireNonNull(consentNotice, "consentNotice").strip();
            if (n.isEmpty()) {
                throw new IllegalArgumentException("consent_notice must not be blank: it is what a recorded call's "
                        + "customer reads before the call starts");
            }
            if (n.length() > MAX_CONSENT_NOTICE_LENGTH) {
                throw new IllegalArgumentException("consent_notice must be at most " + MAX_CONSENT_NOTICE_LENGTH
                        + " characters, was " + n.length());
            }
            this.consentNotice = n;
            return this;
        }

        /** The data directory, or {@code null} to keep everything in memory (lost on restart). */
        public Builder dataDir(@Nullable Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        public Builder linkSecret(@Nullable String linkSecret) {
            if (linkSecret != null && linkSecret.length() < 16) {
                throw new IllegalArgumentException("link_secret must be at least 16 characters");
            }
            this.linkSecret = linkSecret;
            return this;
        }

        public Builder agents(List<AgentAccount> agents) {
            this.agents = List.copyOf(agents);
            return this;
        }

        public Builder adminToken(@Nullable String adminToken) {
            this.adminToken = adminToken == null || adminToken.isEmpty() ? null : adminToken;
            return this;
        }

        public Builder publicUrl(@Nullable String publicUrl) {
            this.publicUrl = publicUrl == null || publicUrl.isEmpty() ? null
                    : publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
            return this;
        }

        public Builder srtpProfiles(List<String> srtpProfiles) {
            if (srtpProfiles.isEmpty()) {
                throw new IllegalArgumentException("srtp_profiles must name at least one profile");
            }
            for (String p : srtpProfiles) {
                if (!p.equals("AES_CM_128_HMAC_SHA1_80") && !p.equals("AEAD_AES_128_GCM")) {
                    throw new IllegalArgumentException("unknown SRTP profile '" + p
                            + "': use AES_CM_128_HMAC_SHA1_80 or AEAD_AES_128_GCM");
                }
            }
            this.srtpProfiles = List.copyOf(srtpProfiles);
            return this;
        }

        public Builder autoAssign(boolean autoAssign) {
            this.autoAssign = autoAssign;
            return this;
        }

        public Builder ringTimeout(Duration ringTimeout) {
            if (ringTimeout.isNegative() || ringTimeout.isZero()) {
                throw new IllegalArgumentException("ring_timeout must be positive, was " + ringTimeout);
            }
            this.ringTimeout = ringTimeout;
            return this;
        }

        public Builder wrapUp(Duration wrapUp) {
            if (wrapUp.isNegative()) {
                throw new IllegalArgumentException("wrap_up must not be negative, was " + wrapUp);
            }
            this.wrapUp = wrapUp;
            return this;
        }

        /**
         * The {@code cors_origins}: each {@code scheme://host[:port]} (http or https, no path).
         *
         * @throws IllegalArgumentException naming an entry that is not such an origin
         */
        public Builder corsOrigins(List<String> corsOrigins) {
            List<String> out = new ArrayList<>();
            for (String o : corsOrigins) {
                try {
                    out.add(WebOrigin.require(Objects.requireNonNull(o, "cors_origins entry")).toString());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("cors_origins: " + e.getMessage(), e);
                }
            }
            this.corsOrigins = List.copyOf(out);
            return this;
        }

        public Builder createFirstAgent(boolean createFirstAgent) {
            this.createFirstAgent = createFirstAgent;
            return this;
        }

        /** {@code max_file_size}: the largest file sent in a call's chat, in bytes (at least 1). */
        public Builder maxFileSize(long maxFileSize) {
            if (maxFileSize < 1) {
                throw new IllegalArgumentException("max_file_size must be at least 1 byte, was " + maxFileSize);
            }
            this.maxFileSize = maxFileSize;
            return this;
        }

        /** {@code file_types}: the kinds of file the chat accepts (at least one). */
        public Builder fileTypes(Collection<FileType> fileTypes) {
            if (fileTypes.isEmpty()) {
                throw new IllegalArgumentException("file_types must name at least one type (or leave it out for the "
                        + "defaults)");
            }
            this.fileTypes = EnumSet.copyOf(fileTypes);
            return this;
        }

        /** {@code retention_days}: delete a session's files this many days after it ended; 0 keeps them. */
        public Builder retentionDays(int retentionDays) {
            if (retentionDays < 0) {
                throw new IllegalArgumentException("retention_days must not be negative, was " + retentionDays);
            }
            this.retentionDays = retentionDays;
            return this;
        }

        /**
         * The webhook endpoints; each URL at most once (it is the endpoint's identity).
         *
         * @throws IllegalArgumentException naming a URL given twice
         */
        public Builder webhooks(List<WebhookEndpoint> webhooks) {
            Set<String> urls = new HashSet<>();
            for (WebhookEndpoint w : webhooks) {
                if (!urls.add(Objects.requireNonNull(w, "webhooks entry").url().toString())) {
                    throw new IllegalArgumentException("webhooks: the url " + w.url() + " is given twice; list each "
                            + "endpoint once, with every event it hears");
                }
            }
            this.webhooks = List.copyOf(webhooks);
            return this;
        }

        public Builder webhookSettings(WebhookSettings webhookSettings) {
            this.webhookSettings = Objects.requireNonNull(webhookSettings, "webhookSettings");
            return this;
        }

        public CsConfig build() {
            return new CsConfig(this);
        }
    }
}
