/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.session;

import dev.cskit.api.session.CallQuality;
import dev.cskit.api.session.Session;
import java.util.function.Function;

/** Keeps a call's quality in the version of its session that ends it ({@link SessionManager#useQuality}). Stateless. */
final class QualityOnEnd {

    private QualityOnEnd() {
    }

    /** The change, and if it ends the session, the call's quality measured into the ended version. */
    static SessionManager.Change measured(SessionManager.Change change, Function<Session, CallQuality> quality) {
        return current -> {
            Session next = change.apply(current);
            if (current.isEnded() || !next.isEnded() || next.quality() != null) {
                return next;
            }
            CallQuality q = quality.apply(next);
            return q == null ? next : next.toBuilder().quality(q).build();
        };
    }
}
