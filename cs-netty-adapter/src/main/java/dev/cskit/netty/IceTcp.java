/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty;

import java.time.Duration;
import java.util.Objects;

/**
 * Passive ICE-TCP (RFC 6544, RFC 4571 framing) beside the UDP media sockets: one TCP listener per media loop, whose
 * connections' packets go to that loop as its UDP datagrams do, advertised as {@code tcptype passive} host
 * candidates with lower priority than the UDP ones ({@link UdpMediaPort#withIceTcp}).
 *
 * @param firstPort          the TCP port of the first loop, the next loops' following it; {@link #SAME_AS_UDP}: each
 *                           loop's UDP port number (a free one if the UDP port was a free one and that number is
 *                           taken); 0: free ports
 * @param maxFrame           the largest packet a frame may carry; a longer length prefix closes the connection
 * @param checkTimeout       a new connection must get a STUN check through within this, or it is closed
 * @param idleTimeout        a connection that receives nothing for this long is closed (the consent timeout)
 * @param maxPending         connections per listener that have not passed a STUN check yet; more are refused
 */
public record IceTcp(int firstPort, int maxFrame, Duration checkTimeout, Duration idleTimeout, int maxPending) {

    /** {@link #firstPort}: the TCP port of each loop has its UDP port's number. */
    public static final int SAME_AS_UDP = -1;
    /** The largest frame by default: the largest datagram the UDP sockets read. */
    public static final int DEFAULT_MAX_FRAME = 2048;
    public static final Duration DEFAULT_CHECK_TIMEOUT = Duration.ofSeconds(5);
    /** RFC 7675 §5.1: consent expires after 30 s without a check; a connection silent that long is dead. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_PENDING = 256;

    public IceTcp {
        if (firstPort < SAME_AS_UDP || firstPort > 65535) {
            throw new IllegalArgumentException("ICE-TCP port must be 0..65535 or SAME_AS_UDP, was " + firstPort);
        }
        if (maxFrame < 64 || maxFrame > 0xFFFF) {
            throw new IllegalArgumentException("maxFrame must be 64..65535, was " + maxFrame);
        }
        Objects.requireNonNull(checkTimeout, "checkTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (checkTimeout.isNegative() || checkTimeout.isZero() || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("checkTimeout and idleTimeout must be positive");
        }
        if (maxPending < 1) {
            throw new IllegalArgumentException("maxPending must be at least 1, was " + maxPending);
        }
    }

    /** The defaults, on each loop's UDP port number. */
    public static IceTcp defaults() {
        return new IceTcp(SAME_AS_UDP, DEFAULT_MAX_FRAME, DEFAULT_CHECK_TIMEOUT, DEFAULT_IDLE_TIMEOUT,
                DEFAULT_MAX_PENDING);
    }

    /** The same on other ports ({@link #SAME_AS_UDP}, 0 for free ones, or the first loop's port). */
    public IceTcp withFirstPort(int port) {
        return new IceTcp(port, maxFrame, checkTimeout, idleTimeout, maxPending);
    }

    /** The same with other limits. */
    public IceTcp withLimits(int maxFrame, Duration checkTimeout, Duration idleTimeout, int maxPending) {
        return new IceTcp(firstPort, maxFrame, checkTimeout, idleTimeout, maxPending);
    }
}
