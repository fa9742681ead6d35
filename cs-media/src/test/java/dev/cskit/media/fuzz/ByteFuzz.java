/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.fuzz;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * The seeded mutations the parser fuzz tests share, one {@link Random} per run so a seed replays it: bit flips,
 * boundary bytes, truncation, extension with random bytes, length fields overwritten, splices of two seeds, and
 * wholly random datagrams. Also where a case is placed: at a random offset inside a larger buffer of garbage, so a
 * test can check that a parser reads only its window.
 *
 * <p>CI runs {@link #cases()} = {@value #DEFAULT_CASES} cases per parser with a fixed seed; for a longer run, for
 * humans: {@code ./mvnw -pl cs-media -am test -Dtest='*FuzzTest' -Dsurefire.failIfNoSpecifiedTests=false
 * -Dcskit.fuzz.cases=5000000 -Dcskit.fuzz.seed=$RANDOM}.
 */
public final class ByteFuzz {

    public static final int DEFAULT_CASES = 100_000;
    private static final byte[] BOUNDARY = {0x00, (byte) 0xFF, 0x7F, (byte) 0x80, 0x01, (byte) 0xFE, 0x20, 0x0F};

    private final Random rnd;
    private final List<byte[]> seeds;

    public ByteFuzz(long seed, List<byte[]> seeds) {
        this.rnd = new Random(seed);
        this.seeds = List.copyOf(seeds);
    }

    /** How many cases a fuzz test runs: {@code -Dcskit.fuzz.cases}, {@value #DEFAULT_CASES} by default. */
    public static int cases() {
        return Integer.getInteger("cskit.fuzz.cases", DEFAULT_CASES);
    }

    /** The run's seed: {@code -Dcskit.fuzz.seed}, or the test's own fixed one. */
    public static long seed(long fixed) {
        return Long.getLong("cskit.fuzz.seed", fixed);
    }

    public Random random() {
        return rnd;
    }

    /** The next case: a mutated seed (one in sixteen left whole), or random bytes. */
    public byte[] next() {
        if (rnd.nextInt(32) == 0) {
            byte[] b = new byte[rnd.nextInt(rnd.nextBoolean() ? 32 : 1500)];
            rnd.nextBytes(b);
            return b;
        }
        byte[] b = seeds.get(rnd.nextInt(seeds.size())).clone();
        if (rnd.nextInt(16) == 0) {
            return b;
        }
        int n = 1 + rnd.nextInt(4);
        for (int i = 0; i < n; i++) {
            b = once(b);
        }
        return b;
    }

    private byte[] once(byte[] b) {
        switch (rnd.nextInt(8)) {
            case 0 -> { // flip bits
                if (b.length > 0) {
                    int flips = 1 + rnd.nextInt(3);
                    for (int i = 0; i < flips; i++) {
                        b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
                    }
                }
                return b;
            }
            case 1 -> { // a boundary byte; headers (the first 24 bytes) more often
                if (b.length > 0) {
                    int at = rnd.nextBoolean() ? rnd.nextInt(Math.min(24, b.length)) : rnd.nextInt(b.length);
                    b[at] = BOUNDARY[rnd.nextInt(BOUNDARY.length)];
                }
                return b;
            }
            case 2 -> {
                return Arrays.copyOf(b, b.length == 0 ? 0 : rnd.nextInt(b.length));
            }
            case 3 -> { // longer: random tail
                byte[] out = Arrays.copyOf(b, b.length + 1 + rnd.nextInt(rnd.nextBoolean() ? 8 : 300));
                for (int i = b.length; i < out.length; i++) {
                    out[i] = (byte) rnd.nextInt(256);
                }
                return out;
            }
            case 4 -> { // a 16-bit field (lengths, counts) set to something odd
                if (b.length >= 2) {
                    int at = rnd.nextInt(b.length - 1);
                    int v = switch (rnd.nextInt(4)) {
                        case 0 -> 0xFFFF;
                        case 1 -> 0;
                        case 2 -> b.length / 4 + rnd.nextInt(3) - 1;
                        default -> rnd.nextInt(0x10000);
                    };
                    b[at] = (byte) (v >>> 8);
                    b[at + 1] = (byte) v;
                }
                return b;
            }
            case 5 -> { // splice: the head of this one, the tail of another seed
                byte[] other = seeds.get(rnd.nextInt(seeds.size()));
                int cut = b.length == 0 ? 0 : rnd.nextInt(b.length);
                int from = other.length == 0 ? 0 : rnd.nextInt(other.length);
                byte[] out = Arrays.copyOf(b, cut + other.length - from);
                System.arraycopy(other, from, out, cut, other.length - from);
                return out;
            }
            case 6 -> { // delete or duplicate a 4-byte word
                if (b.length >= 8) {
                    int at = (rnd.nextInt(b.length / 4)) * 4;
                    if (rnd.nextBoolean()) {
                        byte[] out = new byte[b.length - 4];
                        System.arraycopy(b, 0, out, 0, at);
                        System.arraycopy(b, at + 4, out, at, Math.max(0, b.length - at - 4));
                        return out;
                    }
                    byte[] out = new byte[b.length + 4];
                    System.arraycopy(b, 0, out, 0, Math.min(at + 4, b.length));
                    System.arraycopy(b, at, out, Math.min(at + 4, b.length), b.length - at);
                    return out;
                }
                return b;
            }
            default -> { // a random byte anywhere
                if (b.length > 0) {
                    b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
                }
                return b;
            }
        }
    }

    /** {@code b} inside a larger buffer of random bytes, at the returned offset (the first element). */
    public Placed place(byte[] b) {
        int before = rnd.nextInt(64);
        int after = rnd.nextInt(64);
        byte[] big = new byte[before + b.length + after];
        rnd.nextBytes(big);
        System.arraycopy(b, 0, big, before, b.length);
        return new Placed(big, before);
    }

    /** A case placed in a larger buffer. */
    public record Placed(byte[] buffer, int offset) {
    }

    /** How a failing case is named in a message: the seed, its number and its bytes. */
    public static String describe(long seed, int caseNo, byte[] b) {
        return "seed " + seed + ", case " + caseNo + ", " + b.length + " bytes: " + HexFormat.of().formatHex(b);
    }
}
