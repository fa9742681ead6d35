/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */

/**
 * ICE-lite (RFC 8445 §2.5) for a server on one UDP port: {@link dev.cskit.media.ice.IceLiteAgent} answers
 * connectivity checks of one peer connection, selects the pair and tracks consent (RFC 7675);
 * {@link dev.cskit.media.ice.IceLiteAgent#localUfragOf} routes a datagram from an unknown address to its
 * agent. The controlling side, for tests and load harnesses, is cs-testkit's {@code IceClient}.
 */
package dev.cskit.media.ice;
