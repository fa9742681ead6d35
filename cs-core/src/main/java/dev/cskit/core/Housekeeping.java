/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core;

import dev.cskit.api.CsConfig;
import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.PluginContext;
import dev.cskit.core.files.FileRetention;
import dev.cskit.core.files.FileStore;
import dev.cskit.core.signal.AbandonedCalls;
import dev.cskit.core.session.SessionManager;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plugin's periodic work: the session-timeout and abandoned-call sweep, and the {@code retention_days} sweep
 * of sent files, each triggered by the host's scheduler and run on its blocking executor (they write the journal
 * and delete files), skipped once {@code live} says the plugin stopped. Also opens the file store at start.
 */
final class Housekeeping {

    private static final Logger LOG = LoggerFactory.getLogger(CustomerService.class);

    private Housekeeping() {
    }

    /**
     * Every {@code sweepInterval}, ends the sessions past {@code session_timeout} and the abandoned calls. The
     * scheduler only triggers it: the sweep changes sessions, so it writes the journal, and runs on the host's
     * blocking executor, one sweep at a time (a tick that finds one still running skips).
     */
    static ScheduledFuture<?> scheduleSweeps(PluginContext ctx, SessionManager sessions, AbandonedCalls abandoned,
                                             Duration sweepInterval, Duration abandonGrace, BooleanSupplier live) {
        AtomicBoolean sweeping = new AtomicBoolean();
        Runnable sweepOnce = () -> {
            try {
                if (!live.getAsBoolean()) {
                    return; // stopped while this sweep waited for a thread: the store may be closed
                }
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
            } finally {
                sweeping.set(false);
            }
        };
        long ms = sweepInterval.toMillis();
        return ctx.scheduler().scheduleWithFixedDelay(() -> {
            if (!sweeping.compareAndSet(false, true)) {
                return;
            }
            try {
                ctx.blockingExecutor().execute(sweepOnce);
            } catch (RejectedExecutionException e) {
                sweeping.set(false);
                LOG.warn("session timeout sweep skipped: the blocking executor refused it ({})", e.toString());
            }
        }, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** The store of files sent in calls, under {@code data_dir/files}; none without a data dir. */
    static @Nullable FileStore openFileStore(CsConfig cfg, PluginContext ctx) throws IOException {
        if (cfg.dataDir().isEmpty()) {
            LOG.warn("customer-service: no data_dir, so files cannot be sent in calls");
            return null;
        }
        FileStore files = new FileStore(cfg.dataDir().get().resolve("files"), ctx.clock());
        int leftovers = files.removeLeftovers();
        if (leftovers > 0) {
            LOG.info("removed {} partial or orphaned files an earlier run left in {}", leftovers, files.root());
        }
        return files;
    }

    /** How often files past {@code retention_days} are looked for. */
    static final Duration FILE_RETENTION_INTERVAL = Duration.ofHours(1);

    /** Every hour (first a minute after start), on the blocking executor: it deletes files. */
    static ScheduledFuture<?> scheduleFileRetention(PluginContext ctx, FileRetention retention, BooleanSupplier live) {
        Runnable once = () -> {
            if (!live.getAsBoolean()) {
                return;
            }
            try {
                int n = retention.sweep();
                if (n > 0) {
                    LOG.info("retention_days: deleted {} files of sessions ended long ago", n);
                }
            } catch (IOException | RuntimeException e) {
                LOG.error("file retention sweep failed", e);
            }
        };
        return ctx.scheduler().scheduleWithFixedDelay(() -> {
            try {
                ctx.blockingExecutor().execute(once);
            } catch (RejectedExecutionException e) {
                LOG.warn("file retention sweep skipped: the blocking executor refused it ({})", e.toString());
            }
        }, 60_000, FILE_RETENTION_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }
}
