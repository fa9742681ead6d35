/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */

/**
 * STUN (RFC 8489) message parsing and encoding in caller buffers, and RFC 7983 demultiplexing of the
 * shared media port ({@link dev.cskit.media.stun.PacketKind}). Parsers return result codes, never throw
 * on network input, and allocate nothing per message except where a method says so.
 */
package dev.cskit.media.stun;
