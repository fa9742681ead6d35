/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.session;

/**
 * Session counts and averages, kept as counters (reading them costs the same for any number of sessions).
 *
 * @param totalSessions          every session ever created and not deleted
 * @param activeSessions         calls in progress
 * @param waitingSessions        sessions waiting for an agent to accept
 * @param endedSessions          ended sessions
 * @param ratedSessions          ended sessions with a rating
 * @param averageRating          mean stars over rated sessions; 0 if none
 * @param averageDurationSeconds mean call duration over ended sessions that were accepted; 0 if none
 */
public record Stats(long totalSessions, long activeSessions, long waitingSessions, long endedSessions,
                    long ratedSessions, double averageRating, double averageDurationSeconds) {
}
