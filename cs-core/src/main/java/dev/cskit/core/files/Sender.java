/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.files;

import java.util.Locale;

/** Who sent a file into a call's chat. */
public enum Sender {
    /** The session's customer, with its link token. */
    CUSTOMER,
    /** The session's assigned agent, with its link or login token. */
    AGENT,
    /** An admin, with the admin token (or the loopback shortcut). */
    ADMIN;

    /** The name in JSON, e.g. {@code customer}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The sender of a wire name; {@link IllegalArgumentException} for others. */
    public static Sender fromWire(String name) {
        for (Sender s : values()) {
            if (s.wireName().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown sender '" + name + "'");
    }
}
