/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.media.sdp;

import java.util.List;
import java.util.Optional;

/**
 * One {@code a=} line (RFC 8866 §5.13): {@code a=name} (value "") or {@code a=name:value}.
 *
 * @param name the attribute name
 * @param value the value after the first ':', or "" for a property attribute
 * @param line the 1-based line number in the description
 */
public record Attribute(String name, String value, int line) {

    /** The first attribute of {@code attributes} named {@code name}. */
    static Optional<Attribute> first(List<Attribute> attributes, String name) {
        for (Attribute a : attributes) {
            if (a.name().equals(name)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
