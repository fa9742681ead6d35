/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.media;

import dev.cskit.api.media.MediaTransport;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A media port with one socket that sends nowhere and never fires a timer, for tests whose packets reach the plugin
 * through the recorder's tap or not at all. Every thread counts as the socket's loop, so the engine's commands run
 * at once on the caller.
 */
public class NoMediaPort implements MediaTransport, MediaTransport.MediaSocket {

    @Override
    public List<MediaSocket> sockets() {
        return List.of(this);
    }

    @Override
    public List<InetSocketAddress> candidates() {
        return List.of(new InetSocketAddress("127.0.0.1", 9));
    }

    @Override
    public void setReceiver(DatagramReceiver receiver) {
    }

    @Override
    public boolean send(byte[] buf, int off, int len, InetSocketAddress to) {
        return true;
    }

    @Override
    public void execute(Runnable task) {
        task.run();
    }

    @Override
    public Future<?> schedule(Runnable task, long delay, TimeUnit unit) {
        return new CompletableFuture<Void>();
    }

    @Override
    public boolean inLoop() {
        return true;
    }
}
