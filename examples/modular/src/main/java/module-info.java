/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */

/**
 * A modular embedder of cskit: it reads only the Netty host (and, through it, the SPI). The plugin itself,
 * {@code dev.cskit.core}, is not required: the module system binds it as the provider of
 * {@code dev.cskit.api.CustomerServicePlugin} that {@code dev.cskit.api} uses.
 */
module dev.cskit.example.modular {
    requires dev.cskit.netty;
}
