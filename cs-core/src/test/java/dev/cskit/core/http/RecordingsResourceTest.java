/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cskit.api.http.HttpRequest;
import dev.cskit.api.http.HttpResponse;
import dev.cskit.core.MutableClock;
import dev.cskit.core.auth.AdminGuard;
import dev.cskit.core.media.Recordings;
import dev.cskit.core.session.InMemorySessionStore;
import dev.cskit.core.session.SessionManager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 defect 5: with {@code recording_dir: ./recordings} (the documented, relative form) the listing showed the
 * files but the download answered 400 "is not a recording name".
 */
class RecordingsResourceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Under the module's target directory, named relative to the working directory as a config file does. */
    private final Path relativeRoot = Path.of(".", "target", "recordings-" + UUID.randomUUID());

    @AfterEach
    void cleanUp() throws Exception {
        if (Files.exists(relativeRoot)) {
            try (Stream<Path> all = Files.walk(relativeRoot)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void aRecordingListedUnderARelativeDotSlashDirectoryIsServed() throws Exception {
        assertFalse(relativeRoot.isAbsolute());
        assertEquals(".", relativeRoot.getName(0).toString());
        SessionManager sessions = new SessionManager(new InMemorySessionStore(), new MutableClock(), 10,
                Duration.ofHours(1));
        sessions.restore();
        String id = sessions.create("Recorded", "John", null).id();
        Path dir = Files.createDirectories(relativeRoot.resolve(id));
        Files.writeString(dir.resolve("cust_abc-audio.ogg"), "OggS fake", StandardCharsets.UTF_8);
        RouteTable http = new RouteTable();
        new RecordingsResource(sessions, new Recordings(relativeRoot), true, new AdminGuard(null)).mount(http);

        HttpResponse list = http.handle(HttpRequest.newBuilder("GET",
                "/customer-service/sessions/" + id + "/recordings").build());
        assertEquals(200, list.status(), list.bodyAsString());
        JsonNode entries = JSON.readTree(list.bodyAsString()).path("data").path("recordings");
        assertEquals(1, entries.size(), list.bodyAsString());
        String name = entries.get(0).path("name").asText();
        assertEquals("cust_abc-audio.ogg", name);

        HttpResponse file = http.handle(HttpRequest.newBuilder("GET",
                "/customer-service/sessions/" + id + "/recordings/" + name).build());
        assertEquals(200, file.status(), file.bodyAsString());
        assertEquals("audio/ogg", file.contentType());
        assertEquals("OggS fake", file.bodyAsString());

        HttpResponse outside = http.handle(HttpRequest.newBuilder("GET",
                "/customer-service/sessions/" + id + "/recordings/..%2Fx-audio.ogg").build());
        assertEquals(400, outside.status(), outside.bodyAsString());
    }
}
