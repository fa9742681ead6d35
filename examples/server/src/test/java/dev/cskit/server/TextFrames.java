/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import java.net.http.WebSocket;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A WebSocket listener for the tests' room sockets: joins the parts of each text message and hands the whole text to
 * a consumer, on the client's thread, one message at a time. Subclasses add {@code onClose}/{@code onError}.
 */
class TextFrames implements WebSocket.Listener {

    private final StringBuilder text = new StringBuilder();
    private final Consumer<String> whole;

    TextFrames(Consumer<String> whole) {
        this.whole = whole;
    }

    @Override
    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            whole.accept(text.toString());
            text.setLength(0);
        }
        w.request(1);
        return null;
    }
}
