/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.session;

import dev.cskit.api.session.Session;
import java.util.List;

/**
 * One page of a session listing, newest first.
 *
 * @param items    the sessions on this page
 * @param total    how many sessions matched the filter, over all pages
 * @param page     the page number, from 1
 * @param pageSize the page size asked for
 */
public record SessionPage(List<Session> items, long total, int page, int pageSize) {
    public SessionPage {
        items = List.copyOf(items);
    }
}
