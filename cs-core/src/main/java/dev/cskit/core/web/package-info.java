/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
/**
 * What every HTTP resource of the plugin shares, whichever package serves it ({@code core.http} for the API,
 * {@code core.media} for WHIP/WHEP): the JSON {@link dev.cskit.core.web.Envelope}, the typed request errors
 * ({@link dev.cskit.core.web.ApiException}) and JSON bodies ({@link dev.cskit.core.web.JsonBody}). It depends
 * on no other package of cs-core but {@code core.json}, so nothing here can close a package cycle.
 */
package dev.cskit.core.web;
