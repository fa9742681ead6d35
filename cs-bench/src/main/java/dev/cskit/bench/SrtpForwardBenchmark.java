/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.bench;

import dev.cskit.media.forward.OutboundStream;
import dev.cskit.media.rtp.RtpPacket;
import dev.cskit.media.srtp.SrtpContext;
import dev.cskit.media.srtp.SrtpProfile;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.srtp.SrtpPolicy;
import org.jitsi.srtp.crypto.Aes;
import org.jitsi.srtp.crypto.JitsiOpenSslProvider;
import org.jitsi.utils.logging2.LoggerImpl;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * SRTP forwarding of one packet: unprotect with the publisher's context, {@link RtpPacket#wrap} +
 * {@link OutboundStream#rewrite} into the player's negotiation, protect with the player's context.
 *
 * <ul>
 *   <li>{@code cskit}: {@link SrtpContext} on both sides (the path under test), GCM on the table GHASH.</li>
 *   <li>{@code cskitJdkGhash}: the same in a JVM started with
 *       {@code --add-opens java.base/com.sun.crypto.provider=ALL-UNNAMED}, so GCM's GHASH is the JDK's.</li>
 *   <li>{@code jitsi}: jitsi-srtp's {@code SrtpCryptoContext} on both sides, the same rewrite in between.</li>
 *   <li>{@code jca}: only the crypto, done straight with JCA on the same sizes (AES/GCM/NoPadding with the
 *       header as AAD; AES/CTR/NoPadding + HmacSHA1 over header, payload and ROC, 80-bit tag): the bound.</li>
 * </ul>
 *
 * <p>Every op starts by copying a protected packet into the work buffer, as a receive would. Replay
 * protection is real on the receive side, so a receiving context takes each packet index once:
 * <ul>
 *   <li>The publisher's packets are a window of {@value #BATCH} consecutive indexes, protected ahead of
 *       use. {@value #CONTEXTS} receiving contexts, made and primed with index 0 before the trial (so
 *       neither their allocation nor their first-packet state is in B/op), are walked as a ring, one
 *       window each; the ring position carries over from one iteration to the next.</li>
 *   <li>When the ring wraps, the window is protected again at the next {@value #BATCH} indexes, whose
 *       sequence numbers run on and roll over into the ROC as a live stream's do. So every context sees
 *       one continuous stream, and iterations of any length work. That re-protection is measured:
 *       {@value #BATCH} protects every {@value #CONTEXTS} × {@value #BATCH} ops, 1/{@value #CONTEXTS} of a
 *       protect per op (about 0.2 %), the same for cskit and jitsi (cskit protects for both; the two
 *       interoperate, which the setup checks).</li>
 *   <li>Sender replay checks are off in jitsi (cskit has none).</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(3)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class SrtpForwardBenchmark {
    static {
        // jitsi-srtp picks its AES provider (its own JNI binding of OpenSSL, SunJCE or BouncyCastle) by
        // timing each at first use, which a busy machine turns into a coin toss: one run had SunJCE's GCM
        // (2.3 kB/op), the next OpenSSL's (176 B/op). Pin it to OpenSSL, what a jitsi deployment runs.
        Aes.setFactoryClassName("OpenSSL");
    }

    static final int BATCH = 4096;
    /** Receiving contexts in the ring: 2M packets between two re-protections of the window. */
    static final int CONTEXTS = 512;

    @Param({"200", "1200"})
    public int size;

    @Param({"AES_CM_128_HMAC_SHA1_80", "AEAD_AES_128_GCM"})
    public SrtpProfile profile;

    byte[] publisherKey;
    byte[] publisherSalt;
    byte[] playerKey;
    byte[] playerSalt;
    /** The publisher's packets of the current window, protected: indexes window × BATCH + 1.. + BATCH. */
    byte[][] protectedPackets;
    int protectedLength;
    /** Protects the publisher's windows; its stream runs on from window to window like a live one. */
    SrtpContext publisher;
    /** The publisher's plain packet; each window copies it and sets the sequence number. */
    byte[] plain;
    /** The publisher's packet at index 0, protected. */
    byte[] primer;

    final byte[] work = new byte[1600];
    final byte[] out = new byte[1600];
    final RtpPacket packet = new RtpPacket();
    OutboundStream stream;
    long nanos;
    /** Next packet of the window, receiving context in the ring, and window number. */
    int next;
    int context;
    long window;

    @Setup(Level.Trial)
    public void setUp() throws GeneralSecurityException {
        publisherKey = bytes(profile.keyLength(), 1);
        publisherSalt = bytes(profile.saltLength(), 2);
        playerKey = bytes(profile.keyLength(), 3);
        playerSalt = bytes(profile.saltLength(), 4);
        publisher = SrtpContext.create(profile, publisherKey, publisherSalt);
        plain = PacketFixtures.rtp(size, 1);
        protectedPackets = new byte[BATCH][];
        for (int i = 0; i < BATCH; i++) {
            protectedPackets[i] = new byte[size + profile.rtpOverhead()];
        }
        // Index 0, before window 0: every receiving context takes it at setup, so that the state a context
        // builds at its first packet (its stream, cskit's GHASH tables) is not counted in the measurement.
        primer = new byte[size + profile.rtpOverhead()];
        System.arraycopy(plain, 0, primer, 0, size);
        PacketFixtures.setSequence(primer, 0);
        if (publisher.protectRtp(primer, 0, size) != primer.length) {
            throw new IllegalStateException("protect failed");
        }
        protectWindow(0);
        stream = new OutboundStream(PacketFixtures.PLAYER);
        checkInterop();
        if (!JitsiOpenSslProvider.isLoaded()) {
            System.err.println("jitsi-srtp's OpenSSL library did not load: jitsi falls back to a JCA provider");
        }
    }

    /**
     * Protects window {@code w}: indexes {@code w × BATCH + 1 .. (w + 1) × BATCH}, in order, with the
     * publisher's context. Allocates nothing (cskit's protect does not).
     */
    private void protectWindow(long w) {
        for (int i = 0; i < BATCH; i++) {
            byte[] p = protectedPackets[i];
            System.arraycopy(plain, 0, p, 0, size);
            PacketFixtures.setSequence(p, (int) (w * BATCH + 1 + i));
            protectedLength = publisher.protectRtp(p, 0, size);
            if (protectedLength != p.length) {
                throw new IllegalStateException("protect failed: " + protectedLength);
            }
        }
    }

    /** cskit and jitsi must read each other's packets, or the comparison means nothing. */
    private void checkInterop() throws GeneralSecurityException {
        byte[] b = protectedPackets[0].clone();
        JitsiBuffer jb = new JitsiBuffer();
        jb.set(b, 0, b.length);
        SrtpErrorStatus st = jitsiFactory(false, publisherKey, publisherSalt)
                .deriveContext((int) PacketFixtures.PUBLISHER_SSRC, 0).reverseTransformPacket(jb, false);
        if (st != SrtpErrorStatus.OK || jb.getLength() != size) {
            throw new IllegalStateException("jitsi cannot unprotect cskit's packet: " + st);
        }
        byte[] c = new byte[size + profile.rtpOverhead()];
        System.arraycopy(PacketFixtures.rtp(size, 9), 0, c, 0, size);
        jb.set(c, 0, size);
        st = jitsiFactory(true, publisherKey, publisherSalt)
                .deriveContext((int) PacketFixtures.PUBLISHER_SSRC, 0).transformPacket(jb);
        int n = SrtpContext.create(profile, publisherKey, publisherSalt).unprotectRtp(c, 0, jb.getLength());
        if (st != SrtpErrorStatus.OK || n != size) {
            throw new IllegalStateException("cskit cannot unprotect jitsi's packet: " + st + ", " + n);
        }
    }

    SrtpContextFactory jitsiFactory(boolean sender, byte[] key, byte[] salt) {
        SrtpPolicy policy = profile == SrtpProfile.AEAD_AES_128_GCM
                ? new SrtpPolicy(SrtpPolicy.AESGCM_ENCRYPTION, 16, SrtpPolicy.NULL_AUTHENTICATION, 0, 16, 12)
                : new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, 16, SrtpPolicy.HMACSHA1_AUTHENTICATION, 20, 10, 14);
        policy.setSendReplayEnabled(false);
        return new SrtpContextFactory(sender, key, salt, policy, policy, new LoggerImpl("bench"));
    }

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed * 37 + i * 11);
        }
        return b;
    }

    /** The next protected packet, copied into {@link #work}; moves to the next receiving context per window. */
    private int receive() {
        if (next == BATCH) {
            next = 0;
            if (++context == CONTEXTS) {
                context = 0;
                protectWindow(++window); // every context has now taken this window
            }
        }
        System.arraycopy(protectedPackets[next++], 0, work, 0, protectedLength);
        return protectedLength;
    }

    private int rewrite(int plainLength) {
        nanos += 20_000_000L;
        if (!packet.wrap(work, 0, plainLength)) {
            throw new IllegalStateException("not RTP");
        }
        return stream.rewrite(packet, PacketFixtures.PUBLISHER, out, 0, nanos);
    }

    // ---------------------------------------------------------------- cskit

    /** The ring of {@value #CONTEXTS} receiving contexts, and the player's sending context. */
    @State(Scope.Thread)
    public static class CskitContexts {
        SrtpContext[] receivers;
        SrtpContext sender;

        @Setup(Level.Trial)
        public void make(SrtpForwardBenchmark b) {
            receivers = new SrtpContext[CONTEXTS];
            for (int i = 0; i < receivers.length; i++) {
                receivers[i] = SrtpContext.create(b.profile, b.publisherKey, b.publisherSalt);
                byte[] p = b.primer.clone();
                if (receivers[i].unprotectRtp(p, 0, p.length) != b.size) {
                    throw new IllegalStateException("priming failed");
                }
            }
            sender = SrtpContext.create(b.profile, b.playerKey, b.playerSalt);
        }
    }

    @Benchmark
    public int cskit(CskitContexts c) {
        int len = receive(); // first: it may move to the next context
        int n = c.receivers[context].unprotectRtp(work, 0, len);
        if (n < 0) {
            throw new IllegalStateException("unprotect failed: " + n);
        }
        int m = rewrite(n);
        return c.sender.protectRtp(out, 0, m);
    }

    /**
     * {@link #cskit} in a JVM that opens the JDK's GHASH to cskit, so GCM runs on it instead of the tables
     * (see {@code JdkGhash}). AES-CM does not use GHASH: its rows repeat {@link #cskit}'s, which shows the noise.
     */
    @Benchmark
    @Fork(value = 3, jvmArgsAppend = "--add-opens=java.base/com.sun.crypto.provider=ALL-UNNAMED")
    public int cskitJdkGhash(CskitContexts c) {
        return cskit(c);
    }

    // ---------------------------------------------------------------- jitsi-srtp

    /** {@link CskitContexts} for jitsi-srtp. */
    @State(Scope.Thread)
    public static class JitsiContexts {
        SrtpCryptoContext[] receivers;
        SrtpCryptoContext sender;
        final JitsiBuffer in = new JitsiBuffer();
        final JitsiBuffer outBuf = new JitsiBuffer();

        @Setup(Level.Trial)
        public void make(SrtpForwardBenchmark b) throws GeneralSecurityException {
            SrtpContextFactory rx = b.jitsiFactory(false, b.publisherKey, b.publisherSalt);
            receivers = new SrtpCryptoContext[CONTEXTS];
            for (int i = 0; i < receivers.length; i++) {
                receivers[i] = rx.deriveContext((int) PacketFixtures.PUBLISHER_SSRC, 0);
                in.set(b.primer.clone(), 0, b.primer.length);
                if (receivers[i].reverseTransformPacket(in, false) != SrtpErrorStatus.OK) {
                    throw new IllegalStateException("priming failed");
                }
            }
            sender = b.jitsiFactory(true, b.playerKey, b.playerSalt)
                    .deriveContext((int) PacketFixtures.PLAYER_SSRC, 0);
        }
    }

    @Benchmark
    public int jitsi(JitsiContexts j) throws GeneralSecurityException {
        j.in.set(work, 0, receive());
        SrtpErrorStatus st = j.receivers[context].reverseTransformPacket(j.in, false);
        if (st != SrtpErrorStatus.OK) {
            throw new IllegalStateException("jitsi unprotect failed: " + st);
        }
        int m = rewrite(j.in.getLength());
        j.outBuf.set(out, 0, m);
        st = j.sender.transformPacket(j.outBuf);
        if (st != SrtpErrorStatus.OK) {
            throw new IllegalStateException("jitsi protect failed: " + st);
        }
        return j.outBuf.getLength();
    }

    // ---------------------------------------------------------------- raw JCA bound

    /**
     * The same crypto work done straight with JCA over a packet of the same size and header: verify and
     * decrypt, then encrypt and tag with a fresh IV. No SRTP state, no rewrite.
     */
    @State(Scope.Thread)
    public static class Jca {
        static final int HEADER = 28;
        SecretKeySpec key;
        Cipher decrypt;
        Cipher encrypt;
        Mac mac;
        IvParameterSpec ctrIn;
        IvParameterSpec ctrOut;
        GCMParameterSpec gcmIn;
        final byte[] gcmIv = new byte[12];
        long ivCounter;
        final byte[] roc = new byte[4];
        final byte[] tag = new byte[20];
        byte[] packet;
        boolean gcm;

        @Setup(Level.Trial)
        public void setUp(SrtpForwardBenchmark b) throws GeneralSecurityException {
            gcm = b.profile == SrtpProfile.AEAD_AES_128_GCM;
            key = new SecretKeySpec(bytes(16, 5), "AES");
            byte[] plain = PacketFixtures.rtp(b.size, 1);
            if (gcm) {
                decrypt = Cipher.getInstance("AES/GCM/NoPadding");
                encrypt = Cipher.getInstance("AES/GCM/NoPadding");
                gcmIn = new GCMParameterSpec(128, bytes(12, 6));
                encrypt.init(Cipher.ENCRYPT_MODE, key, gcmIn);
                encrypt.updateAAD(plain, 0, HEADER);
                packet = new byte[b.size + 16];
                System.arraycopy(plain, 0, packet, 0, HEADER);
                encrypt.doFinal(plain, HEADER, b.size - HEADER, packet, HEADER);
            } else {
                decrypt = Cipher.getInstance("AES/CTR/NoPadding");
                encrypt = Cipher.getInstance("AES/CTR/NoPadding");
                mac = Mac.getInstance("HmacSHA1");
                mac.init(new SecretKeySpec(bytes(20, 7), "HmacSHA1"));
                ctrIn = new IvParameterSpec(bytes(16, 8));
                ctrOut = new IvParameterSpec(bytes(16, 9));
                packet = new byte[b.size + 10];
                System.arraycopy(plain, 0, packet, 0, b.size);
                encrypt.init(Cipher.ENCRYPT_MODE, key, ctrIn);
                encrypt.doFinal(packet, HEADER, b.size - HEADER, packet, HEADER);
                mac.update(packet, 0, b.size);
                mac.update(roc);
                mac.doFinal(tag, 0);
                System.arraycopy(tag, 0, packet, b.size, 10);
            }
        }
    }

    @Benchmark
    public int jca(Jca j) throws GeneralSecurityException {
        byte[] w = work;
        int len = j.packet.length;
        System.arraycopy(j.packet, 0, w, 0, len);
        if (j.gcm) {
            j.decrypt.init(Cipher.DECRYPT_MODE, j.key, j.gcmIn);
            j.decrypt.updateAAD(w, 0, Jca.HEADER);
            int plain = j.decrypt.doFinal(w, Jca.HEADER, len - Jca.HEADER, w, Jca.HEADER);
            long c = ++j.ivCounter; // JCA refuses to reuse a GCM IV for encryption
            for (int i = 0; i < 8; i++) {
                j.gcmIv[4 + i] = (byte) (c >>> (56 - 8 * i));
            }
            j.encrypt.init(Cipher.ENCRYPT_MODE, j.key, new GCMParameterSpec(128, j.gcmIv));
            j.encrypt.updateAAD(w, 0, Jca.HEADER);
            return Jca.HEADER + j.encrypt.doFinal(w, Jca.HEADER, plain, w, Jca.HEADER);
        }
        int authLen = len - 10;
        j.mac.update(w, 0, authLen);
        j.mac.update(j.roc);
        j.mac.doFinal(j.tag, 0);
        int diff = 0;
        for (int i = 0; i < 10; i++) {
            diff |= j.tag[i] ^ w[authLen + i];
        }
        if (diff != 0) {
            throw new IllegalStateException("HMAC mismatch");
        }
        j.decrypt.init(Cipher.DECRYPT_MODE, j.key, j.ctrIn);
        j.decrypt.doFinal(w, Jca.HEADER, authLen - Jca.HEADER, w, Jca.HEADER);
        j.encrypt.init(Cipher.ENCRYPT_MODE, j.key, j.ctrOut);
        j.encrypt.doFinal(w, Jca.HEADER, authLen - Jca.HEADER, w, Jca.HEADER);
        j.mac.update(w, 0, authLen);
        j.mac.update(j.roc);
        j.mac.doFinal(j.tag, 0);
        System.arraycopy(j.tag, 0, w, authLen, 10);
        return len;
    }
}
