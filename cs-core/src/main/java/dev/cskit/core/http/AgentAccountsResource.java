/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.http;

import static dev.cskit.core.http.CustomerServiceApi.PREFIX;
import static dev.cskit.core.http.CustomerServiceApi.admin;
import static dev.cskit.core.http.CustomerServiceApi.adminAsync;
import static dev.cskit.core.http.CustomerServiceApi.pathId;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cskit.api.AgentAccount;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.http.HttpRequest;
import dev.cskit.api.http.HttpResponse;
import dev.cskit.api.http.HttpRoutes;
import dev.cskit.core.auth.AdminGuard;
import dev.cskit.core.auth.AgentDirectory;
import dev.cskit.core.auth.PasswordHasher;
import dev.cskit.core.auth.PasswordWork;
import dev.cskit.core.json.SessionJson;
import dev.cskit.core.web.ApiException;
import dev.cskit.core.web.Envelope;
import dev.cskit.core.web.JsonBody;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Agents managed at runtime (admin): {@code POST /customer-service/agents} {@code {id, name, password}} (a taken id
 * gets 409; {@code supervisor?} too), {@code PATCH /customer-service/agents/{id}}
 * {@code {name?, password?, enabled?, supervisor?}} ({@code supervisor}: may monitor calls, {@link MonitorResource}) and
 * {@code DELETE /customer-service/agents/{id}}; the list and one agent are {@link AgentsResource}'s. Passwords are
 * stored as bcrypt hashes, made on the host's CPU executor ({@link PasswordWork}); the change is then written on
 * the blocking executor ({@link AgentDirectory}). Bad input gets a 4xx and changes nothing. Disabling, removing or
 * giving a new password signs the agent's desk out and revokes its login tokens. Thread-safe.
 */
public final class AgentAccountsResource {

    private static final Set<String> CREATE_FIELDS = Set.of("id", "name", "password", "supervisor");
    private static final Set<String> PATCH_FIELDS = Set.of("name", "password", "enabled", "supervisor");

    private final AgentDirectory directory;
    private final PasswordWork passwords;
    private final AdminGuard admin;
    private final Executor blocking;

    /** @param blocking where a change is written after its password was hashed (the host's blocking executor) */
    public AgentAccountsResource(AgentDirectory directory, PasswordWork passwords, AdminGuard admin, Executor blocking) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.passwords = Objects.requireNonNull(passwords, "passwords");
        this.admin = Objects.requireNonNull(admin, "admin");
        this.blocking = Objects.requireNonNull(blocking, "blocking");
    }

    public void mount(HttpRoutes routes) {
        routes.add("POST", PREFIX + "/agents", adminAsync(admin, this::create));
        routes.add("PATCH", PREFIX + "/agents/{id}", adminAsync(admin, this::patch));
        routes.add("DELETE", PREFIX + "/agents/{id}", admin(admin, this::delete));
    }

    private CompletionStage<HttpResponse> create(HttpRequest r) {
        JsonBody b = JsonBody.parse(r).allowOnly(CREATE_FIELDS);
        String id = b.requiredId("id");
        String name = AgentDirectory.name(b.requiredString("name"));
        char[] password = password(b.requiredString("password"));
        Boolean supervisor = b.optionalBoolean("supervisor");
        if (b.has("supervisor") && supervisor == null) {
            throw new ApiException(400, "supervisor may be left out, not null");
        }
        boolean isSupervisor = Boolean.TRUE.equals(supervisor);
        if (directory.find(id).isPresent()) { // early, before the slow hash; create() checks again
            throw new ApiException(409, "agent " + id + " exists already; change it with PATCH "
                    + PREFIX + "/agents/" + id + " or pick another id");
        }
        return passwords.hash(password).thenApplyAsync(hash ->
                account(directory.create(new AgentAccount(id, name, hash, true, 0, isSupervisor))), blocking);
    }

    private CompletionStage<HttpResponse> patch(HttpRequest r) {
        String id = pathId(r, "id", "agent id");
        JsonBody b = JsonBody.parse(r).allowOnly(PATCH_FIELDS);
        if (b.fields().isEmpty()) {
            throw new ApiException(400, "send at least one of name, password, enabled, supervisor");
        }
        String rawName = b.optionalString("name");
        String name = rawName == null ? null : AgentDirectory.name(rawName);
        Boolean enabled = b.optionalBoolean("enabled");
        Boolean supervisor = b.optionalBoolean("supervisor");
        String rawPassword = b.optionalString("password");
        if (b.has("name") && rawName == null || b.has("enabled") && enabled == null
                || b.has("password") && rawPassword == null || b.has("supervisor") && supervisor == null) {
            throw new ApiException(400, "name, password, enabled and supervisor may be left out, not null");
        }
        if (directory.find(id).isEmpty()) {
            throw new ApiException(404, "no agent " + id + "; list agents with GET " + PREFIX + "/agents");
        }
        if (rawPassword == null) {
            return CompletableFuture.completedFuture(account(directory.update(id,
                    a -> change(a, name, null, enabled, supervisor))));
        }
        return passwords.hash(password(rawPassword)).thenApplyAsync(hash ->
                account(directory.update(id, a -> change(a, name, hash, enabled, supervisor))), blocking);
    }

    private static AgentAccount change(AgentAccount a, @Nullable String name, @Nullable String hash,
                                       @Nullable Boolean enabled, @Nullable Boolean supervisor) {
        AgentAccount out = a;
        if (supervisor != null) {
            out = out.withSupervisor(supervisor);
        }
        if (name != null) {
            out = out.withName(name);
        }
        if (hash != null) {
            out = out.withPasswordHash(hash);
        }
        if (enabled != null) {
            out = out.withEnabled(enabled);
        }
        return out;
    }

    private HttpResponse delete(HttpRequest r) {
        String id = pathId(r, "id", "agent id");
        directory.remove(id);
        return Envelope.okMessage("agent " + id + " removed");
    }

    private static char[] password(String password) {
        char[] p = password.toCharArray();
        if (!PasswordHasher.acceptableLength(p)) {
            throw new ApiException(400, "field 'password' must be 1 to " + PasswordHasher.MAX_PASSWORD_BYTES
                    + " bytes of UTF-8 text" + (p.length == 0 ? "; it was empty" : ""));
        }
        return p;
    }

    private static HttpResponse account(AgentAccount a) {
        ObjectNode n = SessionJson.MAPPER.createObjectNode();
        n.put("id", a.id());
        n.put("name", a.name());
        n.put("enabled", a.enabled());
        n.put("can_log_in", a.enabled() && !a.passwordHash().isEmpty());
        n.put("supervisor", a.supervisor());
        return Envelope.ok(n);
    }
}
