/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core;

import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * A host scheduler for tests: {@code execute} runs the task on the calling thread so room actions complete
 * before the test's next line; timed tasks still run on the pool (tests drive the sweep directly).
 */
public final class InlineScheduler extends ScheduledThreadPoolExecutor {

    public InlineScheduler() {
        super(1);
    }

    @Override
    public void execute(Runnable command) {
        command.run();
    }
}
