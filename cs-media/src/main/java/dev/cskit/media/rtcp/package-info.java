/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */

/**
 * RTCP (RFC 3550, RFC 4585, RFC 5104) compound iteration, per-type flyweight views with in-place
 * setters, and writers for PLI, FIR, NACK, RR, SR, SDES, BYE and REMB into caller buffers.
 */
package dev.cskit.media.rtcp;
