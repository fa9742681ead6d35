/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core;

import dev.cskit.api.CsConfig;
import dev.cskit.api.CustomerServicePlugin;
import dev.cskit.api.Nullable;
import dev.cskit.api.PluginContext;
import dev.cskit.api.room.RoomType;
import dev.cskit.api.session.EndReason;
import dev.cskit.api.session.SessionStore;
import dev.cskit.core.agent.AgentDayStats;
import dev.cskit.core.agent.AgentPool;
import dev.cskit.core.auth.AdminGuard;
import dev.cskit.core.auth.AgentDirectory;
import dev.cskit.core.auth.PartyAuthorizer;
import dev.cskit.core.auth.TokenService;
import dev.cskit.core.http.CustomerServiceApi;
import dev.cskit.core.media.WebRtcGateway;
import dev.cskit.core.session.InMemorySessionStore;
import dev.cskit.core.session.JournalSessionStore;
import dev.cskit.core.session.SessionManager;
import dev.cskit.core.signal.AbandonedCalls;
import dev.cskit.core.signal.CallSignaling;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The customer-service plugin: sessions, their store, the room signaling, the HTTP API and auth, wired
 * together on what the host's {@link PluginContext} provides.
 *
 * <p>{@link #start}: opens the store ({@link JournalSessionStore} in {@code data_dir}, in-memory if none, or
 * the store given to {@link #CustomerService(SessionStore, Duration)}), restores sessions and counters,
 * registers the room callbacks for {@link RoomType#CUSTOMER_SERVICE} and the agents' lobby rooms
 * ({@link AgentPool#AGENT_ROOM}, with the {@link AgentPool}) and the routes under
 * {@code /customer-service}, and schedules the timeout sweep on the host's scheduler. {@link #stop}: ends
 * {@code Active} calls with reason {@code shutdown} (both parties get {@code call_ended}; {@code Waiting}
 * sessions stay waiting so they survive the restart), unregisters everything, closes the store.
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
    private final Duration sweepInterval;
    private final Duration abandonGrace;

    private volatile @Nullable Running running;

    private record Running(PluginContext context, SessionStore store, SessionManager sessions, TokenService tokens,
                           PartyAuthorizer authorizer, CallSignaling signaling, AgentPool pool,
                           @Nullable WebRtcGateway media, ScheduledFuture<?> sweep) {
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
        Objects.requireNonNull(sweepInterval, "sweepInterval");
        Objects.requireNonNull(abandonGrace, "abandonGrace");
        if (abandonGrace.isNegative() || abandonGrace.isZero()) {
            throw new IllegalArgumentException("abandonGrace must be positive, was " + abandonGrace);
        }
        this.abandonGrace = abandonGrace;
        if (sweepInterval.isNegative() || sweepInterval.isZero()) {
            throw new IllegalArgumentException("sweepInterval must be positive, was " + sweepInterval);
        }
        this.givenStore = store;
        this.sweepInterval = sweepInterval;
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
        SessionStore store = givenStore != null ? givenStore
                : cfg.dataDir().isPresent() ? new JournalSessionStore(cfg.dataDir().get()) : new InMemorySessionStore();
        boolean callbacks = false;
        boolean lobby = false;
        WebRtcGateway media = null;
        try {
            SessionManager sessions = new SessionManager(store, ctx.clock(), cfg.maxSessions(), cfg.sessionTimeout());
            int restored = sessions.restore();
            AgentDayStats dayStats = AgentDayStats.attach(sessions); // before anything can change a session
            TokenService tokens = TokenService.fromConfig(cfg, ctx.clock());
            PartyAuthorizer authorizer = new PartyAuthorizer(sessions, tokens);
            media = ctx.media().map(t -> new WebRtcGateway(t, ctx.blockingExecutor(), cfg, sessions,
                    authorizer, ctx.rooms())).orElse(null);
            if (media != null) {
                // The media listener goes first: hold, resume, transfer and end change the media before the
                // room hears of them, so a party told call_held receives no more media after it.
                sessions.addListener(media);
            }
            AdminGuard admin = new AdminGuard(cfg.adminToken().orElse(null));
            AgentDirectory directory = new AgentDirectory(cfg.agents());
            AgentPool pool = new AgentPool(ctx.rooms(), sessions, tokens, directory, cfg, ctx.scheduler(), ctx.clock());
            CallSignaling signaling = new CallSignaling(ctx.rooms(), sessions, authorizer, ctx.scheduler(), pool);
            sessions.addListener(signaling);
            sessions.addListener(pool);
            ctx.rooms().registerCallbacks(RoomType.CUSTOMER_SERVICE, signaling);
            callbacks = true;
            ctx.rooms().registerCallbacks(AgentPool.AGENT_ROOM, pool);
            lobby = true;
            pool.restore();
            new CustomerServiceApi(sessions, tokens, authorizer, directory, admin,
                    ctx.rooms(), cfg, media, pool, dayStats).mount(ctx.http());
            if (media != null) {
                media.start(ctx.http());
            } else {
                LOG.warn("customer-service: the host has no media port; WHIP/WHEP are not available");
            }
            AbandonedCalls abandoned = AbandonedCalls.attach(sessions, ctx.rooms(), ctx.clock(), abandonGrace);
            long ms = sweepInterval.toMillis();
            ScheduledFuture<?> sweep = ctx.scheduler().scheduleWithFixedDelay(() -> {
                try {
                    int n = sessions.sweepTimeouts();
                    if (n > 0) {
                        LOG.info("ended {} sessions past session_timeout", n);
                    }
                    int gone = abandoned.sweep();
                    if (gone > 0) {
                        LOG.info("ended {} calls whose room stayed empty for {} s", gone, abandonGrace.toSeconds());
                    }
                } catch (RuntimeException e) {
                    LOG.error("session timeout sweep failed", e); // keep the schedule alive
                }
            }, ms, ms, TimeUnit.MILLISECONDS);
            running = new Running(ctx, store, sessions, tokens, authorizer, signaling, pool, media, sweep);
            if (admin.open()) {
                LOG.warn("customer-service: admin_token is not set; admin endpoints answer local (loopback) "
                        + "clients only. Set customer_service.admin_token to manage it remotely.");
            }
            LOG.info("customer-service started: {} sessions restored, {}", restored, cfg);
        } catch (Exception | Error e) {
            if (callbacks) {
                ctx.rooms().unregisterCallbacks(RoomType.CUSTOMER_SERVICE);
            }
            if (lobby) {
                ctx.rooms().unregisterCallbacks(AgentPool.AGENT_ROOM);
            }
            ctx.http().removeAll(CustomerServiceApi.PREFIX);
            if (media != null) {
                media.stop(ctx.http());
            } else {
                ctx.http().removeAll("/webrtc");
            }
            closeQuietly(store);
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
        int ended = r.sessions().endActive(EndReason.SHUTDOWN);
        if (r.media() != null) {
            r.sessions().removeListener(r.media());
            r.media().stop(r.context().http());
        }
        r.context().http().removeAll(CustomerServiceApi.PREFIX);
        r.context().rooms().unregisterCallbacks(RoomType.CUSTOMER_SERVICE);
        r.context().rooms().unregisterCallbacks(AgentPool.AGENT_ROOM);
        r.sessions().removeListener(r.signaling());
        r.sessions().removeListener(r.pool());
        closeQuietly(r.store());
        LOG.info("customer-service stopped; {} calls in progress ended", ended);
    }

    private static void closeQuietly(SessionStore store) {
        try {
            store.close();
        } catch (IOException e) {
            LOG.error("could not close the session store", e);
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

    /** The agent pool: agent states, routing, the visitor queue. */
    public AgentPool agents() {
        return require().pool();
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
