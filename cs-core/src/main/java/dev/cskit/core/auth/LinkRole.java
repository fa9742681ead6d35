/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.auth;

import java.util.Locale;

/** Which party of a session a link is for. */
public enum LinkRole {
    CUSTOMER,
    AGENT;

    /** The name on the wire and in links: {@code customer} or {@code agent}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code customer} or {@code agent}. */
    public static LinkRole fromWire(String s) {
        for (LinkRole r : values()) {
            if (r.wireName().equals(s)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role '" + s + "': use customer or agent");
    }
}
