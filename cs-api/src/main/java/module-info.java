/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */

/**
 * The cskit SPI: what a host engine gives the customer-service plugin (rooms, HTTP routes, a scheduler, a clock, a
 * media transport, a meter registry) and what the plugin gives back. JDK only. A host finds the plugin with
 * {@link dev.cskit.api.CustomerServicePlugin#load()}, which is why this module {@code uses} the service.
 */
module dev.cskit.api {
    exports dev.cskit.api;
    exports dev.cskit.api.annotation;
    exports dev.cskit.api.health;
    exports dev.cskit.api.http;
    exports dev.cskit.api.media;
    exports dev.cskit.api.metrics;
    exports dev.cskit.api.room;
    exports dev.cskit.api.session;
    exports dev.cskit.api.webhook;

    uses dev.cskit.api.CustomerServicePlugin;
}
