/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty.internal;

import dev.cskit.api.annotation.Nullable;
import dev.cskit.api.http.BodyAbort;
import dev.cskit.api.http.BodySink;
import dev.cskit.api.http.BodyStart;
import dev.cskit.api.http.HttpRequest;
import dev.cskit.api.http.HttpResponse;
import dev.cskit.api.http.StreamingHttpHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request body on its way to a streaming route's {@link BodySink}, as the HTTP codec cuts it (pieces of at
 * most 8 KiB), never aggregated.
 *
 * <p><b>Event-loop side</b> (every method but the worker's): applies backpressure: once {@value #HIGH_WATER} pieces
 * wait for the sink, the connection stops reading, and resumes when the sink is down to {@value #LOW_WATER}. So a
 * stream holds at most {@code HIGH_WATER} pieces plus what one socket read decodes to, whatever the body's size.
 * After an early answer (a refusal, the 413) the rest of the body is read and dropped, up to a budget, so that the
 * client, still sending, reads the answer instead of a reset; the connection then closes.
 *
 * <p><b>Worker side:</b> the route's {@code open}, each piece, the end or the abort run one at a time, in order,
 * on the host's blocking executor; each piece is released there once the sink has it. The body is counted against
 * the route's limit here, as the sink takes it (the dispatcher answers {@code 413} when it is crossed), not as the
 * connection reads it: a sink with a tighter limit of its own (a file's size within a multipart body) then always
 * sees its limit crossed first and answers in its own words, whatever the lag of the sink behind the socket (at
 * most the backpressure bound). Results come back to the event loop as posted tasks ({@link Outcome}).
 *
 * <p>One instance per streamed request; not thread-safe beyond that split. Unsupported API.
 */
final class BodyStream {

    private static final Logger LOG = LoggerFactory.getLogger(BodyStream.class);

    /** Pieces waiting for the sink at which reading pauses (with the codec's 8 KiB pieces, 128 KiB). */
    static final int HIGH_WATER = 16;
    /** Pieces waiting for the sink at which reading resumes. */
    static final int LOW_WATER = 4;
    /** What is read and dropped after an early answer when no route set a budget. */
    static final long DEFAULT_DISCARD_BUDGET = 128 * 1024;

    /** Worker steps besides the pieces. */
    private static final Object END = new Object();
    private static final Object ABORT = new Object();

    /** What the stream tells the dispatcher; called on the event loop, at most one answer per stream. */
    interface Outcome {
        /** The route's answer: from {@code open}, an early {@code onData}, or {@code onEnd}. */
        void answer(HttpResponse response);

        /** A call into the route threw: answer 500. */
        void failed(Throwable cause);

        /** The body crossed the route's limit: answer 413. */
        void tooLarge(long limit);

        /** The host's executor refused the route's work (overloaded or stopping): answer 503. */
        void overloaded();
    }

    private enum Phase {
        /** Pieces go to the sink. */
        READING,
        /** Answered early: pieces are dropped until the last one. */
        DISCARDING,
        /** The last piece came (or the connection closed). */
        DONE
    }

    private final ChannelHandlerContext ctx;
    private final long contentLength;
    private boolean expectContinue;
    private Phase phase = Phase.DISCARDING;
    private @Nullable Outcome outcome;
    private @Nullable Worker worker;
    private long limit;
    private long received;
    private long discarded;
    private long discardBudget = DEFAULT_DISCARD_BUDGET;
    private int held;
    private int maxHeld;
    private boolean paused;
    private boolean answered;
    private boolean closeWhenDone;

    /**
     * A stream for a request head whose body is still to come; until {@link #read} it drops the body (a head the
     * host answers itself).
     *
     * @param contentLength the announced length, or -1 (chunked)
     * @param expectContinue whether the client waits for {@code 100 Continue} before it sends the body
     */
    BodyStream(ChannelHandlerContext ctx, long contentLength, boolean expectContinue) {
        this.ctx = ctx;
        this.contentLength = contentLength;
        this.expectContinue = expectContinue;
    }

    /**
     * Hands the body to a streaming route: {@code open} runs on {@code executor}, then the pieces. A body announced
     * longer than {@code limit} gets {@link Outcome#tooLarge} at once, before anything is read or opened.
     */
    void read(StreamingHttpHandler handler, HttpRequest head, long limit, Executor executor, Outcome outcome) {
        if (phase != Phase.DISCARDING || worker != null || answered) {
            throw new IllegalStateException("the stream is routed already");
        }
        this.outcome = outcome;
        this.limit = limit;
        this.discardBudget = Math.max(DEFAULT_DISCARD_BUDGET, 2 * limit);
        if (contentLength > limit) {
            deliver(o -> o.tooLarge(limit));
            return;
        }
        phase = Phase.READING;
        worker = new Worker(executor, handler, head, limit);
        ctx.channel().config().setAutoRead(true);
    }

    /** Whether body pieces still come to this stream (to the sink or to be dropped). */
    boolean takesContent() {
        return phase != Phase.DONE;
    }

    /** Whether reading the connection serves this stream now (not paused by backpressure). */
    boolean wantsRead() {
        return phase == Phase.DISCARDING || (phase == Phase.READING && !paused);
    }

    /** The most pieces that waited for the sink at once (for tests of the memory bound). */
    int maxHeld() {
        return maxHeld;
    }

    /** A piece of the body; the stream owns it from here. */
    void content(HttpContent piece) {
        boolean last = piece instanceof LastHttpContent;
        int n = piece.content().readableBytes();
        switch (phase) {
            case READING -> {
                received += n;
                if (n > 0) {
                    held++;
                    maxHeld = Math.max(maxHeld, held);
                    worker.submit(piece);
                } else {
                    piece.release();
                }
                if (last) {
                    phase = Phase.DONE;
                    paused = false;
                    ctx.channel().config().setAutoRead(false); // like any request: no reading until answered
                    worker.submit(END);
                } else if (held >= HIGH_WATER && !paused) {
                    paused = true;
                    ctx.channel().config().setAutoRead(false);
                }
            }
            case DISCARDING -> {
                piece.release();
                discarded += n;
                if (last) {
                    endDiscarding();
                } else if (discarded > discardBudget) {
                    LOG.debug("closing {}: the rest of an answered body passed {} bytes", ctx.channel(), discardBudget);
                    phase = Phase.DONE;
                    ctx.close();
                }
            }
            default -> piece.release(); // nothing should follow the last piece
        }
    }

    private void endDiscarding() {
        phase = Phase.DONE;
        if (closeWhenDone) {
            ctx.close();
        }
    }

    /**
     * The dispatcher answers this request before its body ended (a refusal, 413, 500): the rest is dropped. Returns
     * whether the connection should close as soon as the answer is written, rather than once the body is dropped:
     * when the client waits for {@code 100 Continue} (it will send no body), or announced more than the budget.
     */
    boolean answeredEarly() {
        answered = true;
        if (worker != null) {
            worker.cancel(BodyAbort.CONNECTION_CLOSED); // a no-op when the sink finished or was aborted already
        }
        if (phase == Phase.DONE) {
            return false;
        }
        phase = Phase.DISCARDING;
        paused = false;
        ctx.channel().config().setAutoRead(true);
        if (expectContinue) {
            return true;
        }
        return contentLength >= 0 && contentLength - received - discarded > discardBudget;
    }

    /** The early answer is written: close now if the body is all in, else when its last piece comes. */
    void answerWritten() {
        if (phase == Phase.DONE) {
            ctx.close();
        } else {
            closeWhenDone = true;
        }
    }

    /** The connection closed: the sink, if any, is aborted, and what it had not taken yet is released. */
    void channelClosed() {
        phase = Phase.DONE;
        answered = true;
        if (worker != null) {
            worker.cancel(BodyAbort.CONNECTION_CLOSED);
        }
    }

    private void deliver(Consumer<Outcome> call) {
        if (answered || outcome == null) {
            return;
        }
        answered = true;
        call.accept(outcome);
    }

    /** Runs on the event loop: the worker is done with a piece. */
    private void pieceDone() {
        held--;
        if (paused && held <= LOW_WATER) {
            paused = false;
            if (phase == Phase.READING) {
                ctx.channel().config().setAutoRead(true);
            }
        }
    }

    /** Runs on the event loop: the route took the body; a client waiting for {@code 100 Continue} gets it. */
    private void opened() {
        if (expectContinue && phase == Phase.READING && !answered) {
            expectContinue = false;
            ctx.writeAndFlush(HttpResponses.continueResponse());
        }
    }

    private void post(Runnable onEventLoop) {
        try {
            ctx.executor().execute(onEventLoop);
        } catch (RejectedExecutionException e) {
            // the event loop is shutting down with the channel: nothing is left to tell
        }
    }

    /**
     * The serial work on the blocking executor: open, pieces, end, abort, in order. Steps are posted from the event
     * loop; one drain runs at a time ({@code scheduled}), so the sink sees one call at a time, each after the last.
     */
    private final class Worker implements Runnable {

        private final Executor executor;
        private final Queue<Object> steps = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean scheduled = new AtomicBoolean();
        /** Set once, by the event loop; the worker then stops feeding the sink and aborts it. */
        private volatile @Nullable BodyAbort cancelled;
        // Worker-only state (the scheduled flag orders one drain after another).
        private final StreamingHttpHandler handler;
        private final HttpRequest head;
        private boolean opened;
        private @Nullable BodySink sink;
        private boolean finished;

        private final long limit;
        /** Bytes handed to the sink so far. */
        private long taken;

        Worker(Executor executor, StreamingHttpHandler handler, HttpRequest head, long limit) {
            this.executor = executor;
            this.handler = handler;
            this.head = head;
            this.limit = limit;
            schedule();
        }

        void submit(Object step) {
            steps.add(step);
            schedule();
        }

        void cancel(BodyAbort reason) {
            if (cancelled == null) {
                cancelled = reason;
                submit(ABORT);
            }
        }

        private void schedule() {
            if (!scheduled.compareAndSet(false, true)) {
                return;
            }
            try {
                executor.execute(this);
            } catch (RejectedExecutionException e) {
                // Overloaded or stopping: drop the body here, releasing every piece, abort the sink (on this thread:
                // there is no other), and answer 503.
                if (cancelled == null) {
                    cancelled = BodyAbort.CONNECTION_CLOSED;
                }
                run();
                post(() -> deliver(Outcome::overloaded));
            }
        }

        @Override
        public void run() {
            try {
                if (!opened) {
                    opened = true;
                    open();
                }
                Object step;
                while ((step = steps.poll()) != null) {
                    step(step);
                }
            } finally {
                scheduled.set(false);
            }
            if (!steps.isEmpty()) {
                schedule(); // a step that came after the last poll
            }
        }

        private void open() {
            if (cancelled != null) {
                finished = true;
                return;
            }
            try {
                BodyStart start = handler.open(head);
                if (start instanceof BodyStart.Answer a) {
                    finished = true;
                    post(() -> deliver(o -> o.answer(a.response())));
                } else {
                    sink = ((BodyStart.Read) start).sink();
                    post(BodyStream.this::opened);
                }
            } catch (Throwable t) {
                finished = true;
                post(() -> deliver(o -> o.failed(t)));
            }
        }

        private void step(Object step) {
            if (step instanceof HttpContent piece) {
                try {
                    if (!finished && cancelled == null) {
                        feed(piece);
                    }
                } finally {
                    piece.release();
                    post(BodyStream.this::pieceDone);
                }
            } else if (step == END) {
                if (!finished && cancelled == null) {
                    finished = true;
                    try {
                        HttpResponse r = sink.onEnd();
                        post(() -> deliver(o -> o.answer(r)));
                    } catch (Throwable t) {
                        abortSink(BodyAbort.FAILED);
                        post(() -> deliver(o -> o.failed(t)));
                    }
                }
            } else if (step == ABORT) {
                if (!finished) {
                    finished = true;
                    abortSink(cancelled);
                }
            }
        }

        private void feed(HttpContent piece) {
            taken += piece.content().readableBytes();
            if (taken > limit) {
                // Nothing past the limit reaches the sink; the dispatcher answers 413 and the rest is dropped.
                finished = true;
                abortSink(BodyAbort.TOO_LARGE);
                post(() -> deliver(o -> o.tooLarge(limit)));
                return;
            }
            Optional<HttpResponse> early;
            try {
                early = sink.onData(piece.content().nioBuffer().asReadOnlyBuffer());
            } catch (Throwable t) {
                finished = true;
                abortSink(BodyAbort.FAILED);
                post(() -> deliver(o -> o.failed(t)));
                return;
            }
            if (early.isPresent()) {
                finished = true;
                HttpResponse r = early.get();
                post(() -> deliver(o -> o.answer(r)));
            }
        }

        private void abortSink(BodyAbort reason) {
            if (sink == null) {
                return;
            }
            try {
                sink.onAbort(reason);
            } catch (RuntimeException e) {
                LOG.error("a body sink failed to abort ({})", reason, e);
            }
        }
    }
}
