/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.session;

import java.time.Instant;
import java.util.Objects;

/**
 * A customer's satisfaction rating of an ended call.
 *
 * @param stars   1 to 5
 * @param comment optional free text, at most {@value #MAX_COMMENT_LENGTH} characters; empty if none
 * @param ratedAt when it was given
 */
public record Rating(int stars, String comment, Instant ratedAt) {

    public static final int MAX_COMMENT_LENGTH = 500;

    public Rating {
        Objects.requireNonNull(comment, "comment");
        Objects.requireNonNull(ratedAt, "ratedAt");
        if (stars < 1 || stars > 5) {
            throw new IllegalArgumentException("stars must be 1 to 5, was " + stars);
        }
        if (comment.length() > MAX_COMMENT_LENGTH) {
            throw new IllegalArgumentException("comment must be at most " + MAX_COMMENT_LENGTH
                    + " characters, was " + comment.length());
        }
    }
}
