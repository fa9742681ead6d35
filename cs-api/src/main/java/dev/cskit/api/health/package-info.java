/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */

/** Whether a part of a server is ready to take traffic ({@link dev.cskit.api.health.Readiness}). */
package dev.cskit.api.health;
