/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.api.AgentAccount;
import dev.cskit.api.AgentStore;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent journal: what was acknowledged comes back after a crash; a torn tail is cut, corruption is named. */
class JournalAgentStoreTest {

    @TempDir
    Path dir;

    private static final AgentAccount A = new AgentAccount("agent_001", "Wang", "$2b$04$" + "x".repeat(53));
    private static final AgentAccount B = new AgentAccount("agent_002", "Li", "");

    private JournalAgentStore open() throws IOException {
        return new JournalAgentStore(dir);
    }

    @Test
    void putsAndRemovalsComeBackInOrderWithoutAClose() throws IOException {
        JournalAgentStore s = open();
        assertTrue(s.load().isEmpty());
        s.put(A);
        s.put(B);
        s.put(A.withEnabled(false));
        s.remove("agent_002");
        s.remove("agent_009"); // a seed removed: remembered though never put
        // No close: as after kill -9, only what put/remove forced is there; the lock dies with the channel.
        Path copy = Files.createDirectories(dir.resolve("after-crash"));
        Files.copy(s.journalPath(), copy.resolve(JournalAgentStore.JOURNAL));
        s.close();
        AgentStore.Contents c = new JournalAgentStore(copy).load();
        assertEquals(List.of(A.withEnabled(false)), c.agents());
        assertEquals(Set.of("agent_002", "agent_009"), c.removed());
    }

    @Test
    void theSupervisorFlagSurvivesAndAnAgentStoredBeforeItReadsAsNone() throws IOException {
        try (JournalAgentStore s = open()) {
            s.load();
            s.put(A.withSupervisor(true));
        }
        try (JournalAgentStore s = open()) {
            assertEquals(List.of(A.withSupervisor(true)), s.load().agents());
        }
        com.fasterxml.jackson.databind.node.ObjectNode old = dev.cskit.core.json.AgentJson.toNode(B);
        old.remove("supervisor"); // as round 2 before issue 16 wrote it
        assertEquals(B, dev.cskit.core.json.AgentJson.fromNode(old));
        old.put("supervisor", "yes");
        assertThrows(IllegalArgumentException.class, () -> dev.cskit.core.json.AgentJson.fromNode(old));
    }

    @Test
    void aPutAfterARemovalBringsTheAgentBack() throws IOException {
        try (JournalAgentStore s = open()) {
            s.load();
            s.put(A);
            s.remove(A.id());
            s.put(A.withName("Back"));
        }
        try (JournalAgentStore s = open()) {
            AgentStore.Contents c = s.load();
            assertEquals(List.of(A.withName("Back")), c.agents());
            assertTrue(c.removed().isEmpty());
        }
    }

    @Test
    void aTornLastRecordIsCutAndTheRestKept() throws IOException {
        try (JournalAgentStore s = open()) {
            s.load();
            s.put(A);
            s.put(B);
        }
        Path j = dir.resolve(JournalAgentStore.JOURNAL);
        long size = Files.size(j);
        try (FileChannel ch = FileChannel.open(j, StandardOpenOption.WRITE)) {
            ch.truncate(size - 5);
        }
        try (JournalAgentStore s = open()) {
            assertEquals(List.of(A), s.load().agents());
            s.put(B.withName("Li again"));
        }
        try (JournalAgentStore s = open()) {
            assertEquals(List.of(A, B.withName("Li again")), s.load().agents());
        }
    }

    @Test
    void corruptionBeforeTheLastRecordFailsTheLoadNamingTheOffset() throws IOException {
        try (JournalAgentStore s = open()) {
            s.load();
            s.put(A);
            s.put(B);
        }
        Path j = dir.resolve(JournalAgentStore.JOURNAL);
        byte[] bytes = Files.readAllBytes(j);
        bytes[12] ^= 0x20; // inside the first record's JSON
        Files.write(j, bytes);
        try (JournalAgentStore s = open()) {
            IOException e = assertThrows(IOException.class, s::load);
            assertTrue(e.getMessage().contains("at byte offset 0"), e.getMessage());
        }
        assertTrue(java.util.Arrays.equals(bytes, Files.readAllBytes(j)), "a failed load changes nothing");
    }

    @Test
    void aSecondProcessCannotOpenTheSameAgents() throws IOException {
        JournalAgentStore first = open();
        try {
            IOException e = assertThrows(IOException.class, this::open);
            assertTrue(e.getMessage().contains("in use by another cskit instance"), e.getMessage());
        } finally {
            first.close();
        }
    }
}
