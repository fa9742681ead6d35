/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.record;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.util.Objects;

/**
 * Writes an IVF file (the libvpx container ffmpeg reads as {@code ivf}): a 32-byte file header, then per frame
 * a 12-byte header (frame size, 64-bit presentation timestamp) and the frame. Sizes and the frame count in the
 * file header are patched on {@link #close()}; a file cut short by a crash still plays (demuxers read frames
 * until the end of the file).
 *
 * <p>Layout (all little-endian): {@code DKIF}, version 0, header length 32, FourCC, width, height, time base
 * denominator (rate), numerator (scale), frame count, unused.
 *
 * <p>Not thread-safe: one writer thread. Does not close the channel.
 */
public final class IvfWriter {

    public static final int FILE_HEADER = 32;
    public static final int FRAME_HEADER = 12;

    private final SeekableByteChannel out;
    private final long start;
    private final String fourcc;
    private final int rate;
    private final ByteBuffer frameHeader = ByteBuffer.allocate(FRAME_HEADER).order(ByteOrder.LITTLE_ENDIAN);
    private int width;
    private int height;
    private long frames;
    private long bytesWritten;
    private boolean closed;

    /**
     * Writes the file header at the channel's position.
     *
     * @param fourcc e.g. {@code VP80}
     * @param rate   timestamps count 1/rate seconds (90000 for RTP video)
     */
    public IvfWriter(SeekableByteChannel out, String fourcc, int rate) throws IOException {
        this.out = Objects.requireNonNull(out, "out");
        if (fourcc.length() != 4) {
            throw new IllegalArgumentException("a FourCC has 4 characters, was '" + fourcc + "'");
        }
        if (rate <= 0) {
            throw new IllegalArgumentException("rate must be positive, was " + rate);
        }
        this.fourcc = fourcc;
        this.rate = rate;
        this.start = out.position();
        writeFully(header());
    }

    /** Sets the picture size reported in the file header (from a keyframe); kept at the first non-zero size. */
    public void setSize(int width, int height) {
        if (this.width == 0 && width > 0 && height > 0) {
            this.width = width;
            this.height = height;
        }
    }

    /** Appends one frame presented at {@code pts} (in 1/rate s). */
    public void writeFrame(byte[] buf, int off, int len, long pts) throws IOException {
        if (closed) {
            throw new IllegalStateException("the IVF file is closed");
        }
        frameHeader.clear();
        frameHeader.putInt(len).putLong(pts).flip();
        writeFully(frameHeader);
        writeFully(ByteBuffer.wrap(buf, off, len));
        frames++;
    }

    /** Patches the file header with the picture size and frame count. */
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        long end = out.position();
        out.position(start);
        ByteBuffer h = header();
        while (h.hasRemaining()) {
            out.write(h);
        }
        out.position(end);
    }

    public long frames() {
        return frames;
    }

    public long bytesWritten() {
        return bytesWritten;
    }

    private ByteBuffer header() {
        ByteBuffer h = ByteBuffer.allocate(FILE_HEADER).order(ByteOrder.LITTLE_ENDIAN);
        h.put((byte) 'D').put((byte) 'K').put((byte) 'I').put((byte) 'F');
        h.putShort((short) 0);                       // version
        h.putShort((short) FILE_HEADER);             // header length
        for (int i = 0; i < 4; i++) {
            h.put((byte) fourcc.charAt(i));
        }
        h.putShort((short) width).putShort((short) height);
        h.putInt(rate).putInt(1);                    // time base: 1/rate
        h.putInt((int) frames);
        h.putInt(0);                                 // unused
        return h.flip();
    }

    private void writeFully(ByteBuffer b) throws IOException {
        bytesWritten += b.remaining();
        while (b.hasRemaining()) {
            out.write(b);
        }
    }
}
