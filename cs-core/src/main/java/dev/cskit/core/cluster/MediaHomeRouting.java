/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.cluster;

import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.http.HttpHandler;
import dev.cskit.api.http.HttpRequest;
import dev.cskit.api.http.HttpResponse;
import dev.cskit.api.http.HttpRoutes;
import dev.cskit.api.http.StreamingHttpHandler;
import dev.cskit.core.media.StreamPaths;
import dev.cskit.core.media.WebRtcGateway;
import dev.cskit.core.web.Envelope;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pins each session's media to one node of the cluster, its <em>home</em>, in front of the {@link WebRtcGateway}'s
 * routes ({@link #routes} wraps the host's {@link HttpRoutes}; the gateway mounts its handlers through it unchanged).
 *
 * <ul>
 *   <li>{@code POST /webrtc/whip|whep/customer-service/{session}/…}: the session's home is claimed in the
 *       {@link NodeRegistry} (its stored home if that node is live, else the least loaded live node not draining,
 *       {@link NodeInfo#LEAST_LOADED}, read from the registry then). A home elsewhere gets the request through the
 *       {@link MediaProxy}; a home here answers it, records the new resource's node and makes its {@code Location}
 *       absolute on this node's URL.</li>
 *   <li>{@code PATCH}/{@code DELETE /webrtc/session/{id}}: to the node that holds the resource.</li>
 *   <li>{@code OPTIONS}: to the session's home if it has a live one, else answered here (the ICE servers are the
 *       same on every node).</li>
 * </ul>
 * A request another node forwarded ({@value MediaProxy#PROXIED_BY}) is always answered here. A request for a session
 * that is not open, a path that is not a stream's, or a token the gateway refuses, is answered here, with the
 * gateway's error, and claims no home.
 *
 * <p><b>Threading:</b> thread-safe; the handlers run on the host's blocking threads (they read the registry) and
 * answer a forwarded request later, holding no thread meanwhile.
 */
public final class MediaHomeRouting {

    private static final Logger LOG = LoggerFactory.getLogger(MediaHomeRouting.class);

    private enum Kind { PUBLISH, PLAY, OPTIONS, RESOURCE, OTHER }

    private final NodeRegistry registry;
    private final String selfId;
    private final @Nullable URI selfUrl;
    private final MediaProxy proxy;
    private final Predicate<String> openSession;
    private final Consumer<String> homedHere;
    private volatile List<NodeInfo> view = List.of();

    /**
     * @param openSession whether a session id is of a session that exists and has not ended (only those get a home)
     * @param homedHere   told the session id of each WHIP/WHEP resource made here
     */
    public MediaHomeRouting(NodeRegistry registry, String selfId, @Nullable URI selfUrl, MediaProxy proxy,
                            Predicate<String> openSession, Consumer<String> homedHere) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.selfId = Objects.requireNonNull(selfId, "selfId");
        this.selfUrl = selfUrl;
        this.proxy = Objects.requireNonNull(proxy, "proxy");
        this.openSession = Objects.requireNonNull(openSession, "openSession");
        this.homedHere = Objects.requireNonNull(homedHere, "homedHere");
    }

    /** The live nodes as this node last read them (each heartbeat refreshes it). */
    public List<NodeInfo> view() {
        return view;
    }

    /** Takes a fresh list of the live nodes. */
    public void view(List<NodeInfo> live) {
        this.view = List.copyOf(live);
    }

    /** {@code host} with every handler under {@code /webrtc} routed to its session's home. */
    public HttpRoutes routes(HttpRoutes host) {
        Objects.requireNonNull(host, "host");
        return new HttpRoutes() {
            @Override
            public void add(String method, String pattern, HttpHandler handler) {
                Kind kind = kind(method, pattern);
                host.add(method, pattern, kind == Kind.OTHER ? handler : new Routed(kind, handler));
            }

            @Override
            public void addStreaming(String method, String pattern, long maxBodyBytes, StreamingHttpHandler handler) {
                host.addStreaming(method, pattern, maxBodyBytes, handler);
            }

            @Override
            public void removeAll(String prefix) {
                host.removeAll(prefix);
            }
        };
    }

    private static Kind kind(String method, String pattern) {
        boolean stream = pattern.startsWith(WebRtcGateway.WHIP + "/") || pattern.startsWith(WebRtcGateway.WHEP + "/");
        if (stream && "POST".equals(method)) {
            return pattern.startsWith(WebRtcGateway.WHIP) ? Kind.PUBLISH : Kind.PLAY;
        }
        if (stream && "OPTIONS".equals(method)) {
            return Kind.OPTIONS;
        }
        if (pattern.startsWith(WebRtcGateway.RESOURCE + "/") && ("PATCH".equals(method) || "DELETE".equals(method))) {
            return Kind.RESOURCE;
        }
        return Kind.OTHER;
    }

    /** A gateway handler behind the home decision. */
    private final class Routed implements HttpHandler {
        private final Kind kind;
        private final HttpHandler local;

        Routed(Kind kind, HttpHandler local) {
            this.kind = kind;
            this.local = local;
        }

        @Override
        public HttpResponse handle(HttpRequest request) throws Exception {
            try {
                return handleAsync(request).toCompletableFuture().get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception x ? x : e;
            }
        }

        @Override
        public CompletionStage<HttpResponse> handleAsync(HttpRequest r) {
            if (r.header(MediaProxy.PROXIED_BY).isPresent()) {
                return answerHere(r);
            }
            Optional<String> home;
            try {
                home = home(r);
            } catch (IOException e) {
                return CompletableFuture.completedFuture(Envelope.error(503, "the cluster's node registry or session "
                        + "store did not answer (" + e.getMessage() + "); retry in a few seconds")
                        .withHeader("Retry-After", "2"));
            }
            if (home.isEmpty() || home.get().equals(selfId)) {
                return answerHere(r);
            }
            Optional<NodeInfo> node = live(home.get());
            if (node.isEmpty() || node.get().url() == null) {
                if (kind == Kind.RESOURCE) {
                    return CompletableFuture.completedFuture(Envelope.error(404, "no WHIP/WHEP resource "
                            + r.pathParam("id") + ": its node " + home.get() + " is gone; publish or play anew"));
                }
                return answerHere(r); // OPTIONS of a session whose home left: the ICE servers are the same here
            }
            return proxy.forward(r, node.get());
        }

        private Optional<String> home(HttpRequest r) throws IOException {
            if (kind == Kind.RESOURCE) {
                return registry.resourceNode(r.pathParam("id"));
            }
            String sessionId;
            try {
                sessionId = StreamPaths.parse(r.pathParam("path")).sessionId();
            } catch (StreamPaths.BadPathException e) {
                return Optional.empty(); // the gateway answers the error
            }
            if (kind == Kind.OPTIONS) {
                return registry.home(sessionId);
            }
            boolean open;
            try {
                open = r.bearerToken().isPresent() && openSession.test(sessionId);
            } catch (RuntimeException e) { // the session store did not answer
                throw new IOException(e.getMessage(), e);
            }
            if (!open) {
                return Optional.empty();
            }
            view(registry.live()); // a fresh view: a drain or a node's death of the last seconds counts
            return Optional.of(registry.claimHome(sessionId, candidate()));
        }

        private CompletionStage<HttpResponse> answerHere(HttpRequest r) {
            CompletionStage<HttpResponse> answer = local.handleAsync(r);
            if (kind != Kind.PUBLISH && kind != Kind.PLAY) {
                return answer;
            }
            return answer.thenApply(a -> created(r, a));
        }

        /** A resource made here: the other nodes learn where it is, and its Location is absolute on this node. */
        private HttpResponse created(HttpRequest r, HttpResponse a) {
            if (a.status() != 201) {
                return a;
            }
            try {
                homedHere.accept(StreamPaths.parse(r.pathParam("path")).sessionId());
            } catch (StreamPaths.BadPathException | RuntimeException e) {
                LOG.warn("WHIP/WHEP resource made here for {}, whose session's changes on other nodes may not reach "
                        + "its media: {}", r.path(), e.toString());
            }
            String location = a.headers().stream().filter(h -> h.getKey().equalsIgnoreCase("Location"))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
            if (location == null) {
                return a;
            }
            String id = location.substring(location.lastIndexOf('/') + 1);
            try {
                registry.placeResource(id, selfId);
            } catch (IOException e) {
                LOG.warn("could not record WHIP/WHEP resource {} as this node's ({}); a PATCH or DELETE of it that "
                        + "reaches another node gets 404", id, e.getMessage());
            }
            HttpResponse out = HttpResponse.of(a.status(), a.contentType(), a.body());
            for (Map.Entry<String, String> h : a.headers()) {
                boolean isLocation = h.getKey().equalsIgnoreCase("Location");
                out = out.withHeader(h.getKey(), isLocation && selfUrl != null
                        ? MediaProxy.absolute(selfUrl, h.getValue()) : h.getValue());
            }
            return out.withHeader(MediaProxy.MEDIA_NODE, selfId);
        }
    }

    /** The least loaded live node that takes new homes, by the last view; this node if there is none. */
    String candidate() {
        return view.stream().filter(n -> n.takesNewHomes() || n.nodeId().equals(selfId) && !n.draining())
                .min(NodeInfo.LEAST_LOADED).map(NodeInfo::nodeId).orElse(selfId);
    }

    /** A live node by id: from the last view, else from a fresh read (a node that joined since). */
    private Optional<NodeInfo> live(String nodeId) {
        Optional<NodeInfo> n = find(view, nodeId);
        if (n.isPresent()) {
            return n;
        }
        try {
            List<NodeInfo> fresh = registry.live();
            view(fresh);
            return find(fresh, nodeId);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<NodeInfo> find(List<NodeInfo> nodes, String nodeId) {
        return nodes.stream().filter(n -> n.nodeId().equals(nodeId)).findFirst();
    }
}
