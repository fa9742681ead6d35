/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.srtp;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The JDK's own GHASH, {@code com.sun.crypto.provider.GHASH}, whose block loop is a HotSpot
 * intrinsic on the CPU's carry-less multiply (PCLMULQDQ/VPCLMULQDQ): about five times the speed of
 * {@link Ghash}'s tables. It is internal to {@code java.base}, so it is only used when the JVM opens
 * that package to cskit, with
 * {@code --add-opens java.base/com.sun.crypto.provider=ALL-UNNAMED} (on the class path;
 * {@code =dev.cskit.media} on the module path), or {@code Add-Opens: java.base/com.sun.crypto.provider}
 * in an executable jar's manifest. Without
 * it, or if a future JDK changes the class, {@link #AVAILABLE} is false and GCM uses the tables;
 * nothing is logged. The class, its constructor, {@code update(byte[], int, int)} and the
 * {@code long[2]} {@code state} field are the same in JDK 17 and JDK 25; a self-test against the
 * tables at class initialisation guards the rest.
 *
 * <p>Its state words use the same layout as {@link Ghash}: bytes 0-7 and 8-15 of the hash,
 * big-endian. Instances are not thread-safe; this holder is.
 */
final class JdkGhash {
    /** True if the JDK's GHASH is reachable and agrees with the tables. */
    static final boolean AVAILABLE;
    private static final MethodHandle NEW; // (byte[] subkeyH) -> GHASH
    private static final MethodHandle UPDATE; // (GHASH, byte[], int off, int len) -> int, whole blocks
    private static final MethodHandle STATE; // (GHASH) -> long[2]

    static {
        MethodHandle make = null;
        MethodHandle update = null;
        MethodHandle state = null;
        boolean ok = false;
        try {
            Class<?> c = Class.forName("com.sun.crypto.provider.GHASH");
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(c, MethodHandles.lookup());
            make = lookup.findConstructor(c, MethodType.methodType(void.class, byte[].class))
                    .asType(MethodType.methodType(Object.class, byte[].class));
            update = lookup.findVirtual(c, "update", MethodType.methodType(int.class, byte[].class, int.class, int.class))
                    .asType(MethodType.methodType(int.class, Object.class, byte[].class, int.class, int.class));
            state = lookup.findGetter(c, "state", long[].class)
                    .asType(MethodType.methodType(long[].class, Object.class));
            ok = agreesWithTables(make, update, state);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            ok = false; // not opened to us (the usual case), or not this JDK's class any more
        } catch (Throwable e) {
            throw new ExceptionInInitializerError(e);
        }
        AVAILABLE = ok;
        NEW = ok ? make : null;
        UPDATE = ok ? update : null;
        STATE = ok ? state : null;
    }

    private JdkGhash() {
    }

    private static boolean agreesWithTables(MethodHandle make, MethodHandle update, MethodHandle state)
            throws Throwable {
        byte[] h = new byte[16];
        byte[] data = new byte[48];
        for (int i = 0; i < h.length; i++) {
            h[i] = (byte) (i * 29 + 7);
        }
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 13 + 1);
        }
        Object jdk = make.invokeExact(h.clone());
        int done = (int) update.invokeExact(jdk, data, 0, data.length);
        long[] st = (long[]) state.invokeExact(jdk);
        Ghash tables = new Ghash(Ghash.bigEndianLong(h, 0), Ghash.bigEndianLong(h, 8), Ghash.Tables.COMPACT);
        tables.reset();
        tables.update(data, 0, data.length);
        return done == data.length && st.length == 2 && st[0] == tables.hi() && st[1] == tables.lo();
    }

    /** A GHASH for the subkey {@code h} (16 bytes; the JDK keeps its own copy). */
    static Object create(byte[] h) {
        try {
            return (Object) NEW.invokeExact(h.clone());
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** The live {@code long[2]} state: Y, as {@link Ghash} lays it out; zero it to start a message. */
    static long[] state(Object ghash) {
        try {
            return (long[]) STATE.invokeExact(ghash);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** Y = (Y XOR X)·H over the whole blocks {@code b[off, off+len)} ({@code len} a multiple of 16). */
    static void update(Object ghash, byte[] b, int off, int len) {
        try {
            int done = (int) UPDATE.invokeExact(ghash, b, off, len);
            assert done == len;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
