/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cskit.api.AgentAccount;
import dev.cskit.api.CsConfig;
import dev.cskit.api.Nullable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads the YAML configuration (every key optional, unknown keys rejected) and maps it onto
 * {@link ServerConfig} and {@link CsConfig}. Stateless and thread-safe.
 */
public final class ConfigLoader {

    /** Both sections of a loaded configuration. */
    public record Loaded(ServerConfig server, CsConfig customerService) {
    }

    // The file's shape; null means "not set, keep the default".
    record FileRoot(@Nullable ServerSection server,
                    @JsonProperty("customer_service") @Nullable CsSection customerService) {
    }

    record ServerSection(@Nullable Integer port,
                         @JsonProperty("media_port") @Nullable Integer mediaPort,
                         @JsonProperty("media_ports") @Nullable String mediaPorts,
                         @JsonProperty("public_ip") @Nullable String publicIp,
                         @JsonProperty("heartbeat_timeout") @Nullable Integer heartbeatTimeout) {
    }

    record CsSection(@JsonProperty("max_sessions") @Nullable Integer maxSessions,
                     @JsonProperty("session_timeout") @Nullable Integer sessionTimeout,
                     @JsonProperty("enable_recording") @Nullable Boolean enableRecording,
                     @JsonProperty("recording_dir") @Nullable String recordingDir,
                     @JsonProperty("data_dir") @Nullable String dataDir,
                     @JsonProperty("link_secret") @Nullable String linkSecret,
                     @Nullable List<AgentEntry> agents,
                     @JsonProperty("admin_token") @Nullable String adminToken,
                     @JsonProperty("public_url") @Nullable String publicUrl,
                     @JsonProperty("srtp_profiles") @Nullable List<String> srtpProfiles,
                     @JsonProperty("auto_assign") @Nullable Boolean autoAssign,
                     @JsonProperty("ring_timeout") @Nullable Integer ringTimeout,
                     @JsonProperty("wrap_up") @Nullable Integer wrapUp) {
    }

    record AgentEntry(@Nullable String id, @Nullable String name,
                      @JsonProperty("password_hash") @Nullable String passwordHash) {
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private ConfigLoader() {
    }

    /** The embedded defaults (no file). */
    public static Loaded defaults() {
        return new Loaded(ServerConfig.DEFAULTS, CsConfig.newBuilder().autoAssign(true).build());
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
        // The standalone server routes new sessions to Ready agents unless the file says auto_assign: false.
        CsConfig.Builder cs = CsConfig.newBuilder().autoAssign(true);
        if (root != null && root.server() != null) {
            ServerSection s = root.server();
            server = new ServerConfig(
                    s.port() != null ? s.port() : server.port(),
                    s.mediaPort() != null ? s.mediaPort() : server.mediaPort(),
                    s.publicIp() != null ? s.publicIp() : server.publicIp(),
                    s.heartbeatTimeout() != null ? Duration.ofSeconds(s.heartbeatTimeout()) : server.heartbeatTimeout());
            if (s.mediaPorts() != null) {
                if (s.mediaPort() != null) {
                    throw new IllegalArgumentException("server.media_port and server.media_ports are both set: keep "
                            + "media_ports (a range, one media loop per port) or media_port (one port)");
                }
                server = server.withMediaPorts(s.mediaPorts());
            }
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
                    agents.add(new AgentAccount(a.id(), a.name() == null ? a.id() : a.name(), hash));
                }
                cs.agents(agents);
            }
        }
        return new Loaded(server, cs.build());
    }
}
