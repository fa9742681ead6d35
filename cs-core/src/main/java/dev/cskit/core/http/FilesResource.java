/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.http;

import static dev.cskit.core.http.CustomerServiceApi.PREFIX;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cskit.api.Ids;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.http.BodyStart;
import dev.cskit.api.http.HttpRequest;
import dev.cskit.api.http.HttpResponse;
import dev.cskit.api.http.HttpRoutes;
import dev.cskit.api.http.StreamingHttpHandler;
import dev.cskit.api.session.Session;
import dev.cskit.core.auth.AdminGuard;
import dev.cskit.core.auth.LinkRole;
import dev.cskit.core.auth.PartyAuthorizer;
import dev.cskit.core.files.FileMessages;
import dev.cskit.core.files.FileNames;
import dev.cskit.core.files.FileStore;
import dev.cskit.core.files.FileUpload;
import dev.cskit.core.files.MultipartParser;
import dev.cskit.core.files.Sender;
import dev.cskit.core.files.StoredFile;
import dev.cskit.core.json.SessionJson;
import dev.cskit.core.session.SessionException;
import dev.cskit.core.session.SessionManager;
import dev.cskit.core.web.ApiException;
import dev.cskit.core.web.Envelope;
import java.io.IOException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /customer-service/sessions/{id}/files…}: files sent in a call's chat.
 * <ul>
 *   <li>{@code POST …/files}: a party of the session (its customer or agent link token, or the agent's login
 *       token, as {@code Authorization: Bearer}) or an admin sends a file, as {@code multipart/form-data} with a part
 *       {@code file}, or as the raw body with {@code ?name=}. The body streams to disk ({@link FileUpload}); the
 *       answer is {@code {id, name, size, content_type, url}} and the room's other party gets a {@code chat} frame
 *       with it ({@link FileMessages}). The session must not have ended.</li>
 *   <li>{@code GET …/files}: the session's files, for an admin or a party.</li>
 *   <li>{@code GET …/files/{file_id}}: the file, for an admin or a party, the token as {@code Authorization: Bearer}
 *       or as {@code ?token=} (so that a link in the chat can be clicked); {@code attachment}, {@code nosniff}.</li>
 * </ul>
 * No token is {@code 401}; a token of another session, {@code 403}. Without a file store (no {@code data_dir})
 * every route answers {@code 503}. Thread-safe.
 */
public final class FilesResource {

    private static final Logger LOG = LoggerFactory.getLogger(FilesResource.class);
    /** What a multipart body may add to the file: boundaries, part headers, other small fields. */
    static final long MULTIPART_ALLOWANCE = 64 * 1024 + MultipartParser.MAX_HEADER_BYTES;

    private final SessionManager sessions;
    private final PartyAuthorizer authorizer;
    private final AdminGuard admin;
    private final @Nullable FileStore store;
    private final FileUpload.Policy policy;
    private final FileMessages messages;

    /** @param store where files go, or {@code null} when there is no {@code data_dir} (file sending is off) */
    public FilesResource(SessionManager sessions, PartyAuthorizer authorizer, AdminGuard admin,
                         @Nullable FileStore store, FileUpload.Policy policy, FileMessages messages) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
        this.admin = Objects.requireNonNull(admin, "admin");
        this.store = store;
        this.policy = Objects.requireNonNull(policy, "policy");
        this.messages = Objects.requireNonNull(messages, "messages");
    }

    /**
     * Mounts the routes. On a host that cannot stream request bodies ({@link HttpRoutes#addStreaming} unsupported),
     * uploads are taken whole instead, so they are also bounded by that host's own body limit; the plugin still
     * starts.
     */
    public void mount(HttpRoutes routes) {
        String upload = PREFIX + "/sessions/{id}/files";
        long limit = policy.maxFileSize() + MULTIPART_ALLOWANCE;
        StreamingHttpHandler handler = this::open;
        try {
            routes.addStreaming("POST", upload, limit, handler);
        } catch (UnsupportedOperationException e) {
            LOG.warn("customer-service: this host reads request bodies whole, so a file sent in a call is also "
                    + "limited by the host's body limit, and held in memory while it is checked");
            routes.add("POST", upload, r -> r.bodyLength() > limit
                    ? Envelope.error(413, "request body exceeds " + limit + " bytes")
                    : handler.handleWhole(r));
        }
        routes.add("GET", PREFIX + "/sessions/{id}/files", CustomerServiceApi.open(this::list));
        routes.add("GET", PREFIX + "/sessions/{id}/files/{file_id}", CustomerServiceApi.open(this::download));
    }

    /** Who asks: a party of the session, or an admin. */
    private record Caller(Sender sender, String userId, String displayName) {
    }

    /**
     * The caller, or the refusal. A party token is tried first, so that a party on a server whose admin endpoints
     * are open to local clients is still that party.
     */
    private Caller caller(HttpRequest r, String sessionId, @Nullable String token, boolean allowEnded) {
        if (token != null) {
            PartyAuthorizer.Result res = authorizer.authorize(token, sessionId, null, allowEnded);
            if (res instanceof PartyAuthorizer.Party p) {
                return new Caller(p.role() == LinkRole.CUSTOMER ? Sender.CUSTOMER : Sender.AGENT, p.userId(),
                        p.displayName());
            }
            if (admin.check(r).isEmpty()) {
                return admin(sessionId, allowEnded);
            }
            PartyAuthorizer.Refused no = (PartyAuthorizer.Refused) res;
            throw new ApiException(no.httpStatus(), no.message());
        }
        if (admin.check(r).isEmpty()) {
            return admin(sessionId, allowEnded);
        }
        throw new ApiException(401, "a token of session " + sessionId + " is required: Authorization: Bearer <token>"
                + (allowEnded ? " or ?token=<token>" : "") + " (the customer's or agent's link token, the agent's "
                + "login token, or the admin token)");
    }

    private Caller admin(String sessionId, boolean allowEnded) {
        Session s = sessions.require(sessionId);
        if (!allowEnded && s.isEnded()) {
            throw new ApiException(409, "session " + sessionId + " has Ended; files can no longer be sent to it");
        }
        return new Caller(Sender.ADMIN, "admin", "Admin");
    }

    private FileStore store() {
        if (store == null) {
            throw new ApiException(503, "file sending needs customer_service.data_dir: files are kept on disk");
        }
        return store;
    }

    // ---------------------------------------------------------------- upload

    private BodyStart open(HttpRequest head) {
        try {
            return start(head);
        } catch (ApiException e) {
            return BodyStart.answer(Envelope.error(e.status(), e.getMessage()));
        } catch (SessionException e) {
            return BodyStart.answer(Envelope.error(e.kind().httpStatus(), e.getMessage()));
        }
    }

    private BodyStart start(HttpRequest head) {
        String id = CustomerServiceApi.pathId(head, "id", "session id");
        FileStore files = store();
        Caller who = caller(head, id, head.bearerToken().orElse(null), false);
        String contentType = head.header("content-type").orElse("");
        Optional<String> boundary = MultipartParser.boundaryOf(contentType);
        if (boundary.isEmpty() && contentType.trim().toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw new ApiException(400, "Content-Type multipart/form-data needs a boundary parameter (1 to 70 "
                    + "characters)");
        }
        Optional<String> rawName = head.queryParam("name").filter(n -> !n.isBlank());
        if (boundary.isEmpty() && rawName.isEmpty()) {
            throw new ApiException(400, "send the file as multipart/form-data with a part named 'file', or as the raw "
                    + "body with ?name=<file name>");
        }
        long announced = head.header("content-length").map(FilesResource::length).orElse(-1L);
        if (boundary.isEmpty() && announced > policy.maxFileSize()) {
            throw new ApiException(413, "the file is larger than max_file_size (" + policy.maxFileSize() + " bytes)");
        }
        FileStore.Writer writer;
        try {
            writer = files.create(id);
        } catch (IOException e) {
            LOG.error("cannot create a file for session {}", id, e);
            throw new ApiException(500, "the file cannot be stored: internal error");
        }
        FileUpload.From from = new FileUpload.From(who.sender(), who.userId());
        FileUpload.Then then = f -> stored(f, who);
        return BodyStart.read(boundary.isPresent()
                ? FileUpload.multipart(writer, policy, from, boundary.get(), then)
                : FileUpload.raw(writer, policy, from, rawName.get(), then));
    }

    private static long length(String v) {
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private HttpResponse stored(StoredFile f, Caller who) {
        try {
            messages.announce(f, who.displayName());
        } catch (RuntimeException e) {
            LOG.error("file {} of session {} is stored, but the room could not be told", f.id(), f.sessionId(), e);
        }
        LOG.info("session {}: {} {} sent file {} ({} bytes, {})", f.sessionId(), f.sender().wireName(), f.senderId(),
                f.id(), f.size(), f.type().wireName());
        return Envelope.ok(FileMessages.fileNode(f));
    }

    // ---------------------------------------------------------------- list and download

    private HttpResponse list(HttpRequest r) throws IOException {
        String id = CustomerServiceApi.pathId(r, "id", "session id");
        caller(r, id, r.bearerToken().orElse(null), true);
        ObjectNode data = SessionJson.MAPPER.createObjectNode();
        ArrayNode list = data.putArray("files");
        if (store != null) {
            for (StoredFile f : store.list(id)) {
                ObjectNode n = FileMessages.fileNode(f);
                n.put("sender", f.sender().wireName());
                n.put("sender_id", f.senderId());
                n.put("created_at", SessionJson.time(f.createdAt()));
                list.add(n);
            }
        }
        return Envelope.ok(data);
    }

    private HttpResponse download(HttpRequest r) throws IOException {
        String id = CustomerServiceApi.pathId(r, "id", "session id");
        String fileId = r.pathParam("file_id");
        if (!Ids.isValid(fileId)) {
            throw new ApiException(400, Ids.problem("file id", fileId));
        }
        String token = r.bearerToken().or(() -> r.queryParam("token").filter(t -> !t.isBlank())).orElse(null);
        caller(r, id, token, true);
        Optional<FileStore.Found> found = store().find(id, fileId);
        if (found.isEmpty()) {
            throw new ApiException(404, "session " + id + " has no file " + fileId);
        }
        StoredFile f = found.get().file();
        return HttpResponse.ofFile(200, f.type().mediaType(), found.get().content())
                .withHeader("Content-Disposition", FileNames.contentDisposition(f.name()))
                .withHeader("X-Content-Type-Options", "nosniff")
                .withHeader("Cache-Control", "private, no-store")
                .withHeader("Content-Security-Policy", "default-src 'none'; sandbox");
    }
}
