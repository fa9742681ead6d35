/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.auth;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Runs the slow password work ({@link PasswordHasher}) on the host's CPU executor, at most {@code maxQueued}
 * jobs at once (running or waiting): the threads serving HTTP never wait for bcrypt, and a burst beyond the
 * bound is refused at once with {@link Busy} instead of queuing without end. Thread-safe.
 */
public final class PasswordWork {

    /** How many password jobs may be queued or running at once by default. */
    public static final int DEFAULT_MAX_QUEUED = 32;

    /** The work was refused because the bound was reached or the executor refused it; retry in a moment. */
    public static final class Busy extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Busy(String message) {
            super(message, null, false, false);
        }
    }

    private final PasswordHasher hasher;
    private final Executor executor;
    private final Semaphore slots;

    /**
     * @param executor  the host's CPU executor ({@code PluginContext.cpuExecutor()})
     * @param maxQueued most jobs queued or running at once
     */
    public PasswordWork(PasswordHasher hasher, Executor executor, int maxQueued) {
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.executor = Objects.requireNonNull(executor, "executor");
        if (maxQueued < 1) {
            throw new IllegalArgumentException("maxQueued must be at least 1, was " + maxQueued);
        }
        this.slots = new Semaphore(maxQueued);
    }

    public PasswordHasher hasher() {
        return hasher;
    }

    /** A fresh hash of {@code password}, made on the CPU executor; fails with {@link Busy} when full. */
    public CompletionStage<String> hash(char[] password) {
        char[] copy = password.clone();
        return run(() -> hasher.hash(copy));
    }

    /**
     * Whether {@code password} matches the hash {@code hash} gives, both on the CPU executor; fails with
     * {@link Busy} when full.
     */
    public CompletionStage<Boolean> matches(Supplier<String> hash, char[] password) {
        char[] copy = password.clone();
        return run(() -> hasher.matches(hash.get(), copy));
    }

    private <T> CompletionStage<T> run(Supplier<T> job) {
        if (!slots.tryAcquire()) {
            return CompletableFuture.failedFuture(new Busy("too many password checks are waiting; retry in a second"));
        }
        CompletableFuture<T> done = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                T value;
                try {
                    value = job.get();
                } catch (RuntimeException | Error e) {
                    slots.release();
                    done.completeExceptionally(e);
                    return;
                }
                slots.release(); // before the completion: what depends on it may run on this thread
                done.complete(value);
            });
        } catch (RejectedExecutionException e) {
            slots.release();
            return CompletableFuture.failedFuture(new Busy("the server's CPU pool is full; retry in a second"));
        }
        return done;
    }
}
