/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core;

import dev.cskit.api.AgentStore;
import dev.cskit.api.CsConfig;
import dev.cskit.api.CustomerServicePlugin;
import dev.cskit.api.PluginContext;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.health.Readiness;
import dev.cskit.api.room.RoomType;
import dev.cskit.api.session.EndReason;
import dev.cskit.api.session.SessionStore;
import dev.cskit.core.agent.AgentDayStats;
import dev.cskit.core.agent.AgentRouter;
import dev.cskit.core.agent.lobby.AgentLobby;
import dev.cskit.core.auth.AdminGuard;
import dev.cskit.core.auth.AgentDirectory;
import dev.cskit.core.auth.FirstAgent;
import dev.cskit.core.auth.LoginService;
import dev.cskit.core.auth.LoginThrottle;
import dev.cskit.core.auth.PartyAuthorizer;
import dev.cskit.core.auth.PasswordHasher;
import dev.cskit.core.auth.PasswordWork;
import dev.cskit.core.auth.TokenService;
import dev.cskit.core.files.FileMessages;
import dev.cskit.core.files.FileRetention;
import dev.cskit.core.files.FileStore;
import dev.cskit.core.files.FileUpload;
import dev.cskit.core.http.AgentAccountsResource;
import dev.cskit.core.http.AgentsResource;
import dev.cskit.core.http.CustomerServiceApi;
import dev.cskit.core.http.FilesResource;
import dev.cskit.core.http.QueueResource;
import dev.cskit.core.http.RecordingsResource;
import dev.cskit.core.http.RoomsResource;
import dev.cskit.core.http.SessionRecordingResource;
import dev.cskit.core.http.SessionsResource;
import dev.cskit.core.http.WebhooksResource;
import dev.cskit.core.media.Monitors;
import dev.cskit.core.media.RecordingConsent;
import dev.cskit.core.media.Recordings;
import dev.cskit.core.media.WebRtcGateway;
import dev.cskit.core.metrics.CoreMeters;
import dev.cskit.core.metrics.MediaMeters;
import dev.cskit.core.metrics.MeterSet;
import dev.cskit.core.metrics.RingMeters;
import dev.cskit.core.session.InMemoryAgentStore;
import dev.cskit.core.session.InMemorySessionStore;
import dev.cskit.core.session.JournalAgentStore;
import dev.cskit.core.session.JournalSessionStore;
import dev.cskit.core.session.SessionException;
import dev.cskit.core.session.SessionManager;
import dev.cskit.core.signal.AbandonedCalls;
import dev.cskit.core.signal.CallSignaling;
import dev.cskit.core.webhook.WebhookEvents;
import dev.cskit.core.webhook.Webhooks;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The customer-service plugin: sessions, their store, the room signaling, the HTTP API and auth, wired
 * together on what the host's {@link PluginContext} provides.
 *
 * <p>{@link #start}: opens the stores ({@link JournalSessionStore} and {@link JournalAgentStore} in
 * {@code data_dir}, in memory if none, or those given to {@link #newBuilder()}), restores sessions and counters,
 * overlays the configured agents with the stored ones ({@link AgentDirectory}; with {@code createFirstAgent} and
 * no agent at all, makes {@link FirstAgent}), registers the room callbacks for {@link RoomType#CUSTOMER_SERVICE} and the agents' lobby rooms
 * ({@link AgentLobby#AGENT_ROOM}, routed by the {@link AgentRouter}) and the routes under
 * {@code /customer-service}, and schedules the timeout sweep (triggered by the host's scheduler, run on its
 * blocking executor, since it writes the journal). {@link #stop}: ends
 * {@code Active} calls with reason {@code shutdown} (both parties get {@code call_ended}; {@code Waiting}
 * sessions stay waiting so they survive the restart), unregisters everything, closes the stores. {@link #drain}
 * before it refuses new sessions and lets the calls in progress end by themselves for a grace period. Password
 * checks and hashes run on the host's {@link PluginContext#cpuExecutor()} ({@link PasswordWork}).
 *
 * <p>Metrics go to the context's {@link PluginContext#meters()} ({@link CoreMeters}, {@link RingMeters},
 * {@link MediaMeters}, the journal's fsync times); they are removed again on stop.
 *
 * <p>Integrators (e.g. the media layer) use {@link #sessions()} (add a
 * {@link dev.cskit.core.session.SessionListener} to learn of accept/hold/resume/transfer/end),
 * {@link #tokens()} and {@link #authorizer()} (is this bearer token a party of that session?).
 *
 * <p><b>Threading:</b> {@code start} and {@code stop} from one thread, once each (per the SPI); the
 * accessors are safe from any thread after {@code start} returned.
 */
public final class CustomerService implements CustomerServicePlugin {

    private static final Logger LOG = LoggerFactory.getLogger(CustomerService.class);
    /** How often the timeout sweep runs unless told otherwise. */
    public static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofSeconds(5);

    private final @Nullable SessionStore givenStore;
    private final @Nullable AgentStore givenAgentStore;
    private final PasswordHasher hasher;
    private final Duration sweepInterval;
    private final Duration abandonGrace;

    private volatile @Nullable Running running;
    private volatile boolean draining;
    /** The {@code retention_days} sweep of sent files, when it is on. */
    private volatile @Nullable ScheduledFuture<?> fileSweep;

    private record Running(PluginContext context, SessionStore store, AgentDirectory directory,
                           SessionManager sessions, TokenService tokens, PartyAuthorizer authorizer,
                           CallSignaling signaling, AgentRouter router, @Nullable WebRtcGateway media,
                           ScheduledFuture<?> sweep, MeterSet meters, CoreMeters coreMeters, CallsInProgress calls,
                           Webhooks webhooks, RecordingConsent consent) {
    }

    /** For {@link java.util.ServiceLoader}: the store follows {@code data_dir}, the sweep runs every 5 s. */
    public CustomerService() {
        this(null, DEFAULT_SWEEP_INTERVAL);
    }

    /**
     * For embedders.
     *
     * @param store         the store to use (the plugin closes it on stop), or {@code null} for the default
     *                      ({@link JournalSessionStore} in {@code data_dir}, in memory without one)
     * @param sweepInterval how often sessions past {@code session_timeout} are ended
     */
    public CustomerService(@Nullable SessionStore store, Duration sweepInterval) {
        this(store, sweepInterval, AbandonedCalls.DEFAULT_GRACE);
    }

    /**
     * For embedders.
     *
     * @param store         the store to use (the plugin closes it on stop), or {@code null} for the default
     * @param sweepInterval how often sessions past {@code session_timeout} (and abandoned calls) are ended
     * @param abandonGrace  how long an Active call's room may stay empty before the call is ended with reason
     *                      {@code peer_gone} ({@link AbandonedCalls})
     */
    public CustomerService(@Nullable SessionStore store, Duration sweepInterval, Duration abandonGrace) {
        this(newBuilder().sessionStore(store).sweepInterval(sweepInterval).abandonGrace(abandonGrace));
    }

    private CustomerService(Builder b) {
        this.abandonGrace = b.abandonGrace;
        this.sweepInterval = b.sweepInterval;
        this.givenStore = b.sessionStore;
        this.givenAgentStore = b.agentStore;
        this.hasher = b.hasher;
    }

    /** For embedders who give more than the constructors take: an agent store, a password hasher. */
    public static Builder newBuilder() {
        return new Builder();
    }

    /** Builds a {@link CustomerService}; not thread-safe. */
    public static final class Builder {
        private @Nullable SessionStore sessionStore;
        private @Nullable AgentStore agentStore;
        private PasswordHasher hasher = PasswordHasher.bcrypt();
        private Duration sweepInterval = DEFAULT_SWEEP_INTERVAL;
        private Duration abandonGrace = AbandonedCalls.DEFAULT_GRACE;

        private Builder() {
        }

        /** The session store (the plugin closes it on stop), or {@code null} for the journal in {@code data_dir}. */
        public Builder sessionStore(@Nullable SessionStore store) {
            this.sessionStore = store;
            return this;
        }

        /**
         * Where agents managed at runtime are kept (the plugin closes it on stop), or {@code null} for
         * {@link JournalAgentStore} in {@code data_dir} (in memory without one).
         */
        public Builder agentStore(@Nullable AgentStore store) {
            this.agentStore = store;
            return this;
        }

        /** How agents' passwords are hashed and checked; bcrypt of cost 12 by default. */
        public Builder passwordHasher(PasswordHasher hasher) {
            this.hasher = Objects.requireNonNull(hasher, "hasher");
            return this;
        }

        /** How often sessions past {@code session_timeout} (and abandoned calls) are ended. */
        public Builder sweepInterval(Duration sweepInterval) {
            Objects.requireNonNull(sweepInterval, "sweepInterval");
            if (sweepInterval.isNegative() || sweepInterval.isZero()) {
                throw new IllegalArgumentException("sweepInterval must be positive, was " + sweepInterval);
            }
            this.sweepInterval = sweepInterval;
            return this;
        }

        /** How long an Active call's room may stay empty before the call ends with {@code peer_gone}. */
        public Builder abandonGrace(Duration abandonGrace) {
            Objects.requireNonNull(abandonGrace, "abandonGrace");
            if (abandonGrace.isNegative() || abandonGrace.isZero()) {
                throw new IllegalArgumentException("abandonGrace must be positive, was " + abandonGrace);
            }
            this.abandonGrace = abandonGrace;
            return this;
        }

        public CustomerService build() {
            return new CustomerService(this);
        }
    }

    @Override
    public String name() {
        return "customer-service";
    }

    @Override
    public synchronized void start(PluginContext ctx) throws Exception {
        if (running != null) {
            throw new IllegalStateException("customer-service is started already");
        }
        CsConfig cfg = ctx.config();
        MeterSet meters = new MeterSet(ctx.meters());
        SessionStore store;
        try {
            store = givenStore != null ? givenStore : cfg.dataDir().isPresent()
                    ? new JournalSessionStore(cfg.dataDir().get(), CoreMeters.journalFsync(meters))
                    : new InMemorySessionStore();
        } catch (IOException | RuntimeException e) {
            meters.removeAll();
            throw e;
        }
        AgentStore agentStore = null;
        boolean callbacks = false;
        boolean lobbyRegistered = false;
        WebRtcGateway media = null;
        Webhooks webhooks = null;
        try {
            agentStore = givenAgentStore != null ? givenAgentStore
                    : cfg.dataDir().isPresent() ? new JournalAgentStore(cfg.dataDir().get()) : new InMemoryAgentStore();
            SessionManager sessions = new SessionManager(store, ctx.clock(), cfg.maxSessions(), cfg.sessionTimeout());
            int restored = sessions.restore();
            webhooks = new Webhooks(cfg.webhooks(), cfg.webhookSettings(), store, ctx.clock(), ctx.blockingExecutor(),
                    ctx.scheduler(), meters);
            if (webhooks.enabled()) {
                sessions.useOutbox(webhooks); // before anything can change a session: every change has its events
            }
            AgentDayStats dayStats = AgentDayStats.attach(sessions); // before anything can change a session
            AgentDirectory directory = AgentDirectory.open(cfg.agents(), agentStore);
            if (cfg.createFirstAgent()) {
                FirstAgent.createIfNone(directory, hasher, cfg.dataDir().orElse(null));
            }
            TokenService tokens = TokenService.fromConfig(cfg, ctx.clock()).withAgentCheck(directory::accepts);
            PartyAuthorizer authorizer = new PartyAuthorizer(sessions, tokens);
            media = ctx.media().map(t -> new WebRtcGateway(t, ctx.blockingExecutor(), cfg, sessions,
                    authorizer, ctx.rooms(), MediaMeters.handshakeHistogram(meters), ctx.clock())).orElse(null);
            if (media != null) {
                sessions.addListener(media); // phase MEDIA: before the signaling, whatever the order added
                sessions.useQuality(media.quality()::measure); // each ended call keeps its quality
                MediaMeters.register(meters, media.mediaStats());
                Webhooks hooks = webhooks;
                Recordings files = new Recordings(cfg.recordingDir());
                media.recorder().ifPresent(r -> r.onSessionRecorded(id -> hooks.recordingReady(id,
                        () -> WebhookEvents.RecordingFile.listed(files, id))));
            }
            AdminGuard admin = new AdminGuard(cfg.adminToken().orElse(null), cfg.publicUrl().orElse(null));
            Webhooks agentHooks = webhooks;
            AgentRouter router = AgentRouting.open(store, sessions, directory, ctx, // in a cluster, shared
                    frames -> new RingMeters(meters, agentHooks.agentEvents(frames)));
            Monitors monitors = Supervision.start(media, ctx, sessions, tokens, directory, admin); // issue 16
            CallSignaling signaling = new CallSignaling(ctx.rooms(), sessions, authorizer,
                    Supervision.onJoin(router, media, monitors)); // a joiner hears of shares, the agent of who listens
            sessions.addListener(signaling);
            RecordingConsent consent = new RecordingConsent(ctx.rooms(), sessions,
                    cfg.enableRecording() && media != null, cfg.consentNotice());
            sessions.addListener(consent);
            sessions.addListener(router);
            ctx.rooms().registerCallbacks(RoomType.CUSTOMER_SERVICE, signaling);
            callbacks = true;
            AgentLobby lobby = new AgentLobby(router, tokens, directory, ctx.rooms());
            ctx.rooms().registerCallbacks(AgentLobby.AGENT_ROOM, lobby);
            lobbyRegistered = true;
            directory.addListener(router::accountChanged); // first the router: the agent goes offline,
            directory.addListener(lobby);                  // then its desk is signed out
            router.restore();
            CoreMeters coreMeters = CoreMeters.register(meters, sessions, router, ctx.clock());
            CallsInProgress calls = new CallsInProgress(sessions);
            sessions.addListener(calls);
            PasswordWork passwords = new PasswordWork(hasher, ctx.cpuExecutor(), PasswordWork.DEFAULT_MAX_QUEUED);
            LoginService logins = new LoginService(directory, passwords, new LoginThrottle(ctx.clock()));
            new SessionsResource(sessions, tokens, authorizer, directory, admin, cfg.publicUrl().orElse(null))
                    .mount(ctx.http());
            new AgentsResource(router, dayStats, directory, logins, tokens, admin, ctx.rooms(), ctx.clock())
                    .mount(ctx.http());
            new AgentAccountsResource(directory, passwords, admin, ctx.blockingExecutor()).mount(ctx.http());
            new QueueResource(router, sessions, admin).mount(ctx.http());
            new RoomsResource(ctx.rooms(), sessions, media, admin).withMonitors(monitors).mount(ctx.http());
            new RecordingsResource(sessions, new Recordings(cfg.recordingDir()), cfg.enableRecording(), admin)
                    .mount(ctx.http());
            FileStore files = Housekeeping.openFileStore(cfg, ctx);
            new FilesResource(sessions, authorizer, admin, files,
                    new FileUpload.Policy(cfg.maxFileSize(), cfg.fileTypes()), new FileMessages(ctx.rooms(), ctx.clock()))
                    .mount(ctx.http());
            new SessionRecordingResource(sessions, consent, authorizer, admin).mount(ctx.http());
            new WebhooksResource(webhooks, admin).mount(ctx.http());
            if (media != null) {
                media.start(ctx.http());
            } else {
                LOG.warn("customer-service: the host has no media port; WHIP/WHEP are not available");
            }
            AbandonedCalls abandoned = AbandonedCalls.attach(sessions, ctx.rooms(), ctx.clock(), abandonGrace);
            ScheduledFuture<?> sweep = Housekeeping.scheduleSweeps(ctx, sessions, abandoned, sweepInterval, abandonGrace,
                    () -> running != null);
            fileSweep = files == null || cfg.retentionDays() == 0 ? null
                    : Housekeeping.scheduleFileRetention(ctx, new FileRetention(files, sessions, cfg.retentionDays(), ctx.clock()),
                            () -> running != null);
            webhooks.start();
            draining = false;
            running = new Running(ctx, store, directory, sessions, tokens, authorizer, signaling, router, media, sweep,
                    meters, coreMeters, calls, webhooks, consent);
            if (admin.open()) {
                LOG.warn("customer-service: admin_token is not set; admin endpoints answer local (loopback) "
                        + "clients only. Set customer_service.admin_token to manage it remotely.");
            }
            LOG.info("customer-service started: {} sessions restored, {} agents, {}", restored,
                    directory.all().size(), cfg);
        } catch (Exception | Error e) {
            if (webhooks != null) {
                webhooks.stop();
            }
            if (callbacks) {
                ctx.rooms().unregisterCallbacks(RoomType.CUSTOMER_SERVICE);
            }
            if (lobbyRegistered) {
                ctx.rooms().unregisterCallbacks(AgentLobby.AGENT_ROOM);
            }
            ctx.http().removeAll(CustomerServiceApi.PREFIX);
            if (media != null) {
                media.stop(ctx.http());
            } else {
                ctx.http().removeAll("/webrtc");
            }
            closeQuietly(store);
            meters.removeAll();
            if (agentStore != null) {
                closeQuietly(agentStore);
            }
            throw e;
        }
    }

    @Override
    public synchronized void stop() {
        Running r = running;
        if (r == null) {
            return;
        }
        running = null;
        r.sweep().cancel(false);
        ScheduledFuture<?> files = fileSweep;
        if (files != null) {
            files.cancel(false);
            fileSweep = null;
        }
        r.webhooks().stop(); // what is not delivered (the shutdown's call.ended too) is sent after the next start
        int ended = r.sessions().endActive(EndReason.SHUTDOWN);
        if (r.media() != null) {
            r.sessions().removeListener(r.media());
            r.media().stop(r.context().http());
        }
        r.context().http().removeAll(CustomerServiceApi.PREFIX);
        r.context().rooms().unregisterCallbacks(RoomType.CUSTOMER_SERVICE);
        r.context().rooms().unregisterCallbacks(AgentLobby.AGENT_ROOM);
        r.sessions().removeListener(r.signaling());
        r.sessions().removeListener(r.consent());
        r.sessions().removeListener(r.router());
        r.sessions().removeListener(r.coreMeters());
        r.sessions().removeListener(r.calls());
        r.meters().removeAll();
        closeQuietly(r.store());
        try {
            r.directory().close();
        } catch (IOException e) {
            LOG.error("could not close the agent store", e);
        }
        LOG.info("customer-service stopped; {} calls in progress ended", ended);
    }

    /**
     * Refuses new sessions from now on ({@code POST /sessions} gets 503 "draining") and waits up to {@code grace}
     * for the calls in progress to end by themselves; {@link #stop} ends the rest with reason {@code shutdown}.
     * {@link #readiness()} is not ready from now on. Blocks up to {@code grace}; returns at once if it is zero or
     * no call is in progress, or if the thread is interrupted (keeping the interrupt).
     */
    @Override
    public void drain(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative, was " + grace);
        }
        Running r = running;
        if (r == null) {
            return;
        }
        // Refuse first, then say not ready: whoever sees readiness down must also be refused.
        r.sessions().refuseNew("draining: the server is shutting down and takes no new sessions; try again "
                + "once it is back, or on another server");
        draining = true;
        long active;
        try {
            active = r.sessions().hostedCalls();
        } catch (SessionException e) {
            LOG.warn("customer-service draining: cannot count the calls in progress ({}); not waiting", e.getMessage());
            return;
        }
        if (active == 0 || grace.isZero()) {
            LOG.info("customer-service draining: {} calls in progress, no grace period to wait", active);
            return;
        }
        LOG.info("customer-service draining: waiting up to {} s for {} calls in progress to end", grace.toSeconds(),
                active);
        try {
            if (r.calls().awaitNone(grace)) {
                LOG.info("customer-service drained: every call has ended");
            } else {
                LOG.info("customer-service drain: the grace period is over with {} calls in progress",
                        r.sessions().hostedCalls());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SessionException e) {
            LOG.warn("customer-service drain: cannot count the calls in progress any more ({}); stopping",
                    e.getMessage());
        }
    }

    /** Not ready before start, after stop, while draining, or while the session store cannot take writes. */
    @Override
    public Readiness readiness() {
        Running r = running;
        if (r == null) {
            return Readiness.notReady("customer-service is not started");
        }
        if (draining) {
            return Readiness.notReady("draining: the server is shutting down");
        }
        return r.store().readiness();
    }

    private static void closeQuietly(java.io.Closeable store) {
        try {
            store.close();
        } catch (IOException e) {
            LOG.error("could not close {}", store.getClass().getSimpleName(), e);
        }
    }

    private Running require() {
        Running r = running;
        if (r == null) {
            throw new IllegalStateException("customer-service is not started; call start(context) first");
        }
        return r;
    }

    /** The sessions (and where to add a {@link dev.cskit.core.session.SessionListener}). */
    public SessionManager sessions() {
        return require().sessions();
    }

    /** The agent accounts: seeds and agents managed at runtime (add a listener to hear changes). */
    public AgentDirectory agentAccounts() {
        return require().directory();
    }

    /** The agent router: agent states, routing, the visitor queue. */
    public AgentRouter agents() {
        return require().router();
    }

    /** Issues and verifies link and agent tokens. */
    public TokenService tokens() {
        return require().tokens();
    }

    /** The media path, if the host has a media port. */
    public java.util.Optional<WebRtcGateway> media() {
        return java.util.Optional.ofNullable(require().media());
    }

    /** Whether a token is a party of a session (for WHIP/WHEP authorization). */
    public PartyAuthorizer authorizer() {
        return require().authorizer();
    }
}
