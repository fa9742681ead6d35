/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.api.FileType;
import dev.cskit.core.MutableClock;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStoreTest {

    @TempDir
    Path root;
    final MutableClock clock = new MutableClock();

    @Test
    void aCommittedFileIsListedAndFoundWithItsContent() throws Exception {
        FileStore store = new FileStore(root, clock);
        FileStore.Writer w = store.create("cs_1");
        w.write(ByteBuffer.wrap("hello ".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(List.of(), store.list("cs_1"), "a file being written is not listed");
        w.write(ByteBuffer.wrap("world".getBytes(StandardCharsets.US_ASCII)));
        StoredFile f = w.commit("hi.txt", FileType.TEXT, Sender.AGENT, "agent_001");
        assertTrue(f.id().matches("f_[a-z2-7]{16}"), f.id());
        assertEquals(11, f.size());
        assertEquals(List.of(f), store.list("cs_1"));
        FileStore.Found found = store.find("cs_1", f.id()).orElseThrow();
        assertEquals(f, found.file());
        assertArrayEquals("hello world".getBytes(StandardCharsets.US_ASCII), Files.readAllBytes(found.content()));
        assertEquals(Optional.empty(), store.find("cs_1", "f_other"));
        assertEquals(Optional.empty(), store.find("cs_1", "../cs_1"));
        assertEquals(List.of("cs_1"), store.sessions());
        assertEquals(Optional.of(f), new FileStore(root, clock).find("cs_1", f.id()).map(FileStore.Found::file));
    }

    @Test
    void anAbortedFileLeavesNothing() throws Exception {
        FileStore store = new FileStore(root, clock);
        FileStore.Writer w = store.create("cs_2");
        w.write(ByteBuffer.wrap(new byte[1000]));
        w.abort();
        w.abort();
        assertFalse(Files.exists(root.resolve("cs_2")));
        try (var s = Files.list(root)) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void deletingASessionRemovesItsFilesOnly() throws Exception {
        FileStore store = new FileStore(root, clock);
        for (String s : List.of("cs_a", "cs_b")) {
            FileStore.Writer w = store.create(s);
            w.write(ByteBuffer.wrap(new byte[] {1}));
            w.commit("x.png", FileType.PNG, Sender.CUSTOMER, "cust_1");
        }
        assertEquals(1, store.deleteSession("cs_a"));
        assertEquals(List.of("cs_b"), store.sessions());
        assertEquals(0, store.deleteSession("cs_a"));
    }
}
