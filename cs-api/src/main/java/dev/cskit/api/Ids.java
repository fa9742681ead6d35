/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api;

import dev.cskit.api.annotation.Nullable;
import java.util.regex.Pattern;

/**
 * The one rule every id meets at every door (agent ids, session ids, customer and user ids, the parts of a
 * WHIP/WHEP stream path): 1 to {@value #MAX_LENGTH} characters of {@code A-Z a-z 0-9 _ -}. No dots (URL parsers
 * fold {@code .} and {@code ..} segments), no slashes (an id is one path segment), no {@code |} (token payloads
 * separate fields with it), no spaces. Stateless and thread-safe.
 */
public final class Ids {

    /** The longest id. */
    public static final int MAX_LENGTH = 64;

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1," + MAX_LENGTH + "}");
    /** How much of a refused value a message quotes. */
    private static final int QUOTED = 80;

    private Ids() {
    }

    /** Whether {@code id} is a well-formed id. */
    public static boolean isValid(@Nullable String id) {
        return id != null && ID.matcher(id).matches();
    }

    /**
     * {@code id} itself if it is well-formed.
     *
     * @param what what the id is, for the message, e.g. {@code agent_id}
     * @throws IllegalArgumentException with {@link #problem}'s message otherwise
     */
    public static String require(String what, @Nullable String id) {
        if (!isValid(id)) {
            throw new IllegalArgumentException(problem(what, id));
        }
        return id;
    }

    /** What is wrong with a malformed id and how to fix it, e.g. for a 400 answer. */
    public static String problem(String what, @Nullable String id) {
        String rule = what + " must be 1 to " + MAX_LENGTH + " characters of A-Z, a-z, 0-9, '_' or '-' "
                + "(no dots, slashes, '|' or spaces)";
        if (id == null) {
            return rule + "; it is missing";
        }
        String shown = id.length() > QUOTED ? id.substring(0, QUOTED) + "…" : id;
        return rule + ", was '" + shown + "'" + (id.length() > MAX_LENGTH ? " (" + id.length() + " characters)" : "");
    }
}
