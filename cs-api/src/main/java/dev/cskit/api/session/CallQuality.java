/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.api.session;

import dev.cskit.api.annotation.Nullable;
import java.util.OptionalDouble;

/**
 * The quality of a call, per direction: kept in the session when the call ends ({@link Session#quality()}), and
 * reported live while it runs. A direction is {@code null} when no audio went that way.
 *
 * @param customerToAgent what the agent heard of the customer
 * @param agentToCustomer what the customer heard of the agent
 */
public record CallQuality(@Nullable DirectionQuality customerToAgent, @Nullable DirectionQuality agentToCustomer) {

    /** The lower MOS of the two directions (the call is as bad as its worse side), empty if neither is known. */
    public OptionalDouble worstMos() {
        if (customerToAgent == null && agentToCustomer == null) {
            return OptionalDouble.empty();
        }
        if (customerToAgent == null || agentToCustomer == null) {
            return OptionalDouble.of((customerToAgent != null ? customerToAgent : agentToCustomer).mos());
        }
        return OptionalDouble.of(Math.min(customerToAgent.mos(), agentToCustomer.mos()));
    }
}
