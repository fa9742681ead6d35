/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.ice;

import dev.cskit.media.stun.StunKeys;
import dev.cskit.media.stun.StunMessage;
import dev.cskit.media.stun.StunStatus;
import dev.cskit.media.stun.StunWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;

/**
 * The ICE-lite side of one peer connection (RFC 8445 §2.5, §7.3) with consent freshness
 * (RFC 7675).
 *
 * <p>A lite agent only answers connectivity checks and is always controlled. {@link #handle}
 * accepts a Binding request only when its FINGERPRINT is right, its USERNAME is
 * {@code localUfrag:remoteUfrag} and its MESSAGE-INTEGRITY verifies with the local pwd; it then
 * writes a Binding success response (XOR-MAPPED-ADDRESS of the sender, MESSAGE-INTEGRITY with the
 * local pwd, FINGERPRINT) into the caller's buffer. Other input is answered with an error
 * (400, 401, 420, 487) or dropped, and counted: see {@link IceResult}.
 *
 * <p>Pair selection: before any nomination the first address that passes a check is selected; a
 * request with USE-CANDIDATE (regular or aggressive nomination, both look the same to a controlled
 * agent) selects its sender, and a later USE-CANDIDATE from another address switches to it. A valid check
 * from another address also switches to it once the selected address has sent none for
 * {@link #REBIND_SILENCE_NANOS} (NAT rebinding). An ICE restart ({@link #restart}) swaps the credentials and keeps
 * the pair.
 * Consent (RFC 7675 §5.1): fresh while a valid check arrived from the selected address within the
 * consent timeout (30 s by default). Time is the caller's monotonic {@code nowNanos}.
 *
 * <p>Not thread-safe: one thread (the media loop that owns the peer connection) calls every method.
 * {@link #handle} allocates only the copy of the sender's address bytes; everything else is preallocated.
 */
public final class IceLiteAgent {
    /** The smallest output buffer {@link #handle} writes into. */
    public static final int MIN_OUTPUT = 256;
    /** The RFC 7675 §5.1 consent timeout. */
    public static final Duration DEFAULT_CONSENT_TIMEOUT = Duration.ofSeconds(30);

    private static final int MAX_VALIDATED = 8;
    /**
     * How long the selected address must have sent no valid check before a valid check without USE-CANDIDATE
     * from another address moves the pair there: longer than a browser's ping interval on the selected pair
     * (2.5 s in Chromium), so a ping on a backup pair does not move it.
     */
    public static final long REBIND_SILENCE_NANOS = 3_000_000_000L;
    private static final int ATTR_UNKNOWN_ATTRIBUTES = 0x000A;

    private final long consentTimeoutNanos;
    /** The credentials checks must carry: set by the offer, replaced by an ICE restart. */
    private Generation current;
    /**
     * RFC 8445 §9: after an ICE restart the old credentials still keep the old pair alive, until the peer
     * nominates a pair with the new ones; null when there is no such older generation.
     */
    private Generation previous;
    /** The MAC of the generation the request being handled matched: the response is signed with it. */
    private Mac mac;
    private final StunMessage msg = new StunMessage();
    private final StunWriter writer = new StunWriter();
    private final byte[] txId = new byte[12];
    private final byte[] unknownAttr = new byte[2];
    private final long[] counters = new long[IceResult.values().length];
    private final InetSocketAddress[] validated = new InetSocketAddress[MAX_VALIDATED];
    private int validatedNext;

    private InetSocketAddress selected;
    private boolean nominated;
    private long lastConsentNanos;
    private long rebinds;
    private int responseLength;

    /** An agent with the default 30 s consent timeout. */
    public IceLiteAgent(IceCredentials local, IceCredentials remote) {
        this(local, remote, DEFAULT_CONSENT_TIMEOUT);
    }

    /**
     * An agent for one peer connection.
     *
     * @param local our ufrag/pwd, as put in the SDP answer (see {@link IceCredentials#random})
     * @param remote the peer's ufrag/pwd from its SDP offer
     * @param consentTimeout how long consent lasts without a valid check from the selected address
     */
    public IceLiteAgent(IceCredentials local, IceCredentials remote, Duration consentTimeout) {
        if (consentTimeout.isNegative() || consentTimeout.isZero()) {
            throw new IllegalArgumentException("consentTimeout must be positive: " + consentTimeout);
        }
        this.consentTimeoutNanos = consentTimeout.toNanos();
        this.current = new Generation(local, remote);
        this.mac = current.mac;
    }

    /** One set of ICE credentials: the offer's, or those of a restart. */
    private static final class Generation {
        final IceCredentials local;
        final IceCredentials remote;
        final byte[] expectedUsername;
        final Mac mac;

        Generation(IceCredentials local, IceCredentials remote) {
            this.local = Objects.requireNonNull(local, "local");
            this.remote = Objects.requireNonNull(remote, "remote");
            // RFC 8445 §7.2.2: the request's USERNAME is "receiver ufrag:sender ufrag".
            this.expectedUsername = (local.ufrag() + ":" + remote.ufrag()).getBytes(StandardCharsets.UTF_8);
            this.mac = StunKeys.hmacSha1(StunKeys.shortTermKey(local.pwd()));
        }
    }

    /**
     * An ICE restart (RFC 8445 §9, as WHIP/WHEP PATCH carries it, RFC 9725 §4.3.2): checks must now carry
     * {@code newLocal}/{@code newRemote}. The selected address and consent are kept, so media goes on; checks
     * with the old credentials are still answered (they keep the old pair's consent) until the peer nominates a
     * pair with the new ones. A second restart before that forgets the oldest credentials.
     */
    public void restart(IceCredentials newLocal, IceCredentials newRemote) {
        Generation next = new Generation(newLocal, newRemote);
        if (newLocal.ufrag().equals(current.local.ufrag())) {
            throw new IllegalArgumentException("an ICE restart needs a new local ufrag (RFC 8445 §9)");
        }
        previous = current;
        current = next;
    }

    /**
     * Handles one STUN datagram from {@code from}.
     *
     * @param out where a response is written, starting at {@code outOff}; at least
     *     {@link #MIN_OUTPUT} bytes of room
     * @return what happened; when {@link IceResult#respondedWithResponse()} is true, send
     *     {@link #responseLength()} bytes of {@code out} from {@code outOff} back to {@code from}
     */
    public IceResult handle(byte[] in, int inOff, int inLen, InetSocketAddress from, long nowNanos,
            byte[] out, int outOff) {
        if (from.isUnresolved()) {
            throw new IllegalArgumentException("from must be the resolved source address of the datagram: " + from);
        }
        responseLength = 0;
        mac = current.mac;
        if (out.length - outOff < MIN_OUTPUT || outOff < 0) {
            return count(IceResult.DROPPED_NO_ROOM, 0);
        }
        if (msg.wrap(in, inOff, inLen) != StunStatus.OK) {
            return count(IceResult.DROPPED_MALFORMED, 0);
        }
        // RFC 8445 §7.3 / RFC 8489 §7.3: ICE requires FINGERPRINT; a bad one means "not STUN": drop.
        if (msg.verifyFingerprint() != StunStatus.OK) {
            return count(IceResult.DROPPED_BAD_FINGERPRINT, 0);
        }
        if (msg.messageType() == StunMessage.BINDING_INDICATION) {
            return count(IceResult.INDICATION, 0);
        }
        if (msg.messageType() != StunMessage.BINDING_REQUEST) {
            return count(IceResult.DROPPED_NOT_REQUEST, 0);
        }
        msg.copyTransactionId(txId, 0);
        // RFC 8489 §9.1.3: missing USERNAME or MESSAGE-INTEGRITY -> 400; wrong ones -> 401.
        if (!msg.hasUsername() || !msg.hasIntegrity()) {
            return count(IceResult.BAD_REQUEST, writeError(out, outOff, from, 400, "Bad Request", false));
        }
        Generation g = msg.usernameEquals(current.expectedUsername) ? current
                : previous != null && msg.usernameEquals(previous.expectedUsername) ? previous : null;
        if (g == null || msg.verifyIntegrity(g.mac) != StunStatus.OK) {
            return count(IceResult.UNAUTHORIZED, writeError(out, outOff, from, 401, "Unauthorized", false));
        }
        mac = g.mac;
        if (msg.unknownComprehensionRequired() != 0) {
            return count(IceResult.UNKNOWN_ATTRIBUTE,
                    writeError(out, outOff, from, 420, "Unknown Attribute", true));
        }
        // RFC 8445 §7.3.1.1: we are controlled; a peer claiming controlled too must switch.
        if (msg.hasIceControlled()) {
            return count(IceResult.ROLE_CONFLICT, writeError(out, outOff, from, 487, "Role Conflict", true));
        }
        if (g == current && previous != null && msg.hasUseCandidate()) {
            previous = null; // RFC 8445 §9: the restart completed; the old credentials are no longer accepted
        }
        accept(from, msg.hasUseCandidate(), nowNanos);
        int n = writer.start(out, outOff, out.length - outOff, StunMessage.BINDING_SUCCESS, txId, 0)
                .addXorMappedAddress(from.getAddress(), from.getPort())
                .addMessageIntegrity(mac)
                .addFingerprint()
                .finish();
        return count(IceResult.SUCCESS, n);
    }

    private void accept(InetSocketAddress from, boolean useCandidate, long nowNanos) {
        remember(from);
        InetSocketAddress current = selected;
        if (useCandidate) {
            if (!from.equals(current)) {
                selected = from;
            }
            nominated = true;
            lastConsentNanos = nowNanos;
        } else if (current == null) {
            selected = from;
            lastConsentNanos = nowNanos;
        } else if (current.equals(from)) {
            lastConsentNanos = nowNanos;
        } else if (nowNanos - lastConsentNanos >= REBIND_SILENCE_NANOS) {
            // NAT rebinding: the selected address went quiet and the peer's checks, with valid credentials, now
            // come from here. A lite agent cannot check the path itself, so it follows the peer (RFC 8445 §7.3.1.4,
            // RFC 7675 §5.1: this check is the consent for the new address).
            selected = from;
            lastConsentNanos = nowNanos;
            rebinds++;
        }
    }

    private void remember(InetSocketAddress from) {
        for (InetSocketAddress a : validated) {
            if (from.equals(a)) {
                return;
            }
        }
        validated[validatedNext] = from;
        validatedNext = (validatedNext + 1) % MAX_VALIDATED;
    }

    private int writeError(byte[] out, int outOff, InetSocketAddress from, int code, String reason,
            boolean authenticated) {
        writer.start(out, outOff, out.length - outOff, StunMessage.BINDING_ERROR, txId, 0)
                .addErrorCode(code, reason);
        if (code == 420) {
            int type = msg.unknownComprehensionRequired();
            unknownAttr[0] = (byte) (type >>> 8);
            unknownAttr[1] = (byte) type;
            writer.addAttribute(ATTR_UNKNOWN_ATTRIBUTES, unknownAttr, 0, 2);
        }
        if (authenticated) {
            writer.addMessageIntegrity(mac);
        }
        return writer.addFingerprint().finish();
    }

    private IceResult count(IceResult r, int length) {
        counters[r.ordinal()]++;
        responseLength = length;
        return r;
    }

    /** Bytes written by the last {@link #handle} call (0 when nothing is to be sent). */
    public int responseLength() {
        return responseLength;
    }

    /** How many datagrams ended with {@code result} so far. */
    public long count(IceResult result) {
        return counters[result.ordinal()];
    }

    /** The remote address media goes to: the nominated one, else the first validated; empty before any check. */
    public Optional<InetSocketAddress> selectedAddress() {
        return Optional.ofNullable(selected);
    }

    /** How many times the selected address moved because the old one went quiet (NAT rebinding). */
    public long rebinds() {
        return rebinds;
    }

    /** Whether the controlling peer has nominated a pair with USE-CANDIDATE. */
    public boolean isNominated() {
        return nominated;
    }

    /**
     * Whether {@code address} passed a connectivity check recently (the last {@value #MAX_VALIDATED}
     * distinct addresses are remembered). Use it to drop DTLS/SRTP from unchecked addresses.
     * Call from the thread that calls {@link #handle}.
     */
    public boolean isValidated(InetSocketAddress address) {
        for (InetSocketAddress a : validated) {
            if (address.equals(a)) {
                return true;
            }
        }
        return false;
    }

    /** RFC 7675 §5.1: whether a valid check from the selected address arrived within the consent timeout. */
    public boolean isConsentFresh(long nowNanos) {
        return selected != null && nowNanos - lastConsentNanos < consentTimeoutNanos;
    }

    /** Our current credentials (to put in the SDP answer, or the answer to an ICE restart). */
    public IceCredentials localCredentials() {
        return current.local;
    }

    /** The peer's current credentials, from its offer or its last ICE restart. */
    public IceCredentials remoteCredentials() {
        return current.remote;
    }

    /** Our credentials from before the last ICE restart, while checks with them are still accepted. */
    public Optional<IceCredentials> previousLocalCredentials() {
        return previous == null ? Optional.empty() : Optional.of(previous.local);
    }

    /**
     * The local (receiver) ufrag of a Binding request: the part of USERNAME before the first ':'
     * (RFC 8445 §7.2.2). Lets one UDP port route a datagram from an unknown address to the agent that
     * owns the ufrag; the request still has to pass {@link #handle}. Empty for anything that is not a
     * well-formed Binding request with a USERNAME. Allocates; thread-safe.
     */
    public static Optional<String> localUfragOf(byte[] buf, int off, int len) {
        StunMessage m = new StunMessage();
        if (m.wrap(buf, off, len) != StunStatus.OK || m.messageType() != StunMessage.BINDING_REQUEST
                || !m.hasUsername()) {
            return Optional.empty();
        }
        int start = m.usernameOffset();
        int n = m.usernameLength();
        for (int i = 0; i < n; i++) {
            if (buf[start + i] == ':') {
                return i == 0 ? Optional.empty()
                        : Optional.of(new String(buf, start, i, StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }
}
