/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.http;

/** What tests of other packages read of {@link FilesResource}. */
public final class FilesResourceAccess {
    private FilesResourceAccess() {
    }

    public static long allowance() {
        return FilesResource.MULTIPART_ALLOWANCE;
    }
}
