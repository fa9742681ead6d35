/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.api.CsConfig;
import dev.cskit.api.webhook.WebhookEventType;
import dev.cskit.api.webhook.WebhookSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code customer_service.webhooks} and {@code webhook_delivery} in the YAML. */
class WebhookConfigTest {

    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    @Test
    void endpointsAndDeliverySettingsAreMapped() throws Exception {
        CsConfig cs = ConfigLoader.parse("""
                customer_service:
                  webhooks:
                    - url: https://crm.example.com/hooks/cskit
                      secret: %s
                      events: [call.ended, session.rated]
                    - { url: "http://127.0.0.1:9999/all", secret: a plain secret of some length }
                  webhook_delivery: { max_age: 3600, timeout: 5, concurrency: 8, max_retry_interval: 120 }
                """.formatted(SECRET), "w.yaml").customerService();
        assertEquals(2, cs.webhooks().size());
        assertEquals(URI.create("https://crm.example.com/hooks/cskit"), cs.webhooks().get(0).url());
        assertEquals(Set.of(WebhookEventType.CALL_ENDED, WebhookEventType.SESSION_RATED), cs.webhooks().get(0).events());
        assertTrue(cs.webhooks().get(1).events().isEmpty(), "no events: every event");
        assertTrue(cs.webhooks().get(1).accepts(WebhookEventType.AGENT_STATE_CHANGED));
        assertEquals(new WebhookSettings(Duration.ofHours(1), Duration.ofSeconds(5), 8, Duration.ofMinutes(2)),
                cs.webhookSettings());
    }

    @Test
    void withoutTheKeysThereAreNoWebhooksAndTheDefaultSettings() throws Exception {
        CsConfig cs = ConfigLoader.parse("customer_service:\n  max_sessions: 5\n", "t").customerService();
        assertTrue(cs.webhooks().isEmpty());
        assertEquals(WebhookSettings.DEFAULTS, cs.webhookSettings());
        assertEquals(Duration.ofHours(24), WebhookSettings.DEFAULTS.maxAge());
        assertEquals(Duration.ofSeconds(10), WebhookSettings.DEFAULTS.timeout());
    }

    @Test
    void mistakesAreNamedWithTheirPlace() {
        assertRefused("webhooks[0] needs a secret", "- { url: 'https://x.example/h' }");
        assertRefused("webhooks[0] needs a url", "- { secret: " + SECRET + " }");
        assertRefused("unknown webhook event 'call.started'",
                "- { url: 'https://x.example/h', secret: " + SECRET + ", events: [call.started] }");
        assertRefused("webhooks[1]: ", "- { url: 'https://x.example/h', secret: " + SECRET + " }\n"
                + "    - { url: 'mailto:a@b', secret: " + SECRET + " }");
        assertRefused("at least 16 bytes", "- { url: 'https://x.example/h', secret: tooshort }");
        assertRefused("given twice", "- { url: 'https://x.example/h', secret: " + SECRET + " }\n"
                + "    - { url: 'https://x.example/h', secret: " + SECRET + " }");
        assertRefused("unknown key 'customer_service.webhooks[0].secrets'",
                "- { url: 'https://x.example/h', secrets: " + SECRET + " }");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(
                "customer_service:\n  webhook_delivery: { concurrency: 0 }\n", "c.yaml"));
        assertTrue(e.getMessage().contains("concurrency"), e.getMessage());
    }

    private static void assertRefused(String why, String entries) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("customer_service:\n  webhooks:\n    " + entries + "\n", "w.yaml"));
        assertTrue(e.getMessage().contains(why), e.getMessage());
        assertTrue(!e.getMessage().contains("MfKQ9r8"), "the secret is not echoed: " + e.getMessage());
    }
}
