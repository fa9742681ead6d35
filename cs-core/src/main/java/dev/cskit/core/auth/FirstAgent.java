/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.core.auth;

import dev.cskit.api.AgentAccount;
import dev.cskit.api.annotation.Nullable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first agent of a fresh server: on a start with no agent at all (none configured, and the agent store never
 * held one), {@value #ID} is created with a random password, which is written once to the log and to
 * {@code data_dir/}{@value #FILE} (mode 600), so a newcomer can sign in to the desk at once. The store then holds
 * it, so a restart does not make another. Stateless.
 */
public final class FirstAgent {

    private static final Logger LOG = LoggerFactory.getLogger(FirstAgent.class);

    public static final String ID = "agent_001";
    public static final String NAME = "Agent 001";
    public static final String FILE = "first-agent.txt";
    private static final char[] ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();
    private static final int LENGTH = 20;

    private FirstAgent() {
    }

    /**
     * Creates {@value #ID} if there is no agent at all.
     *
     * @param dataDir where {@value #FILE} goes, or {@code null} (the password is then only in the log)
     * @return the agent created, if one was
     * @throws IOException if the password file cannot be written (no agent is created then)
     */
    public static Optional<AgentAccount> createIfNone(AgentDirectory directory, PasswordHasher hasher,
                                                      @Nullable Path dataDir) throws IOException {
        if (!directory.all().isEmpty() || !directory.storeWasEmpty()) {
            return Optional.empty();
        }
        char[] password = new char[LENGTH];
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < LENGTH; i++) {
            password[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        Path file = null;
        if (dataDir != null) {
            file = dataDir.resolve(FILE);
            writePrivately(file, "# The first agent of this cskit server. Sign in at /desk.html (or the lobby),\n"
                    + "# then change the password in the admin dashboard (Agents) and delete this file.\n"
                    + "agent_id: " + ID + "\npassword: " + new String(password) + "\n");
        }
        AgentAccount a = directory.create(new AgentAccount(ID, NAME, hasher.hash(password)));
        LOG.warn("first start with no agents: created agent {} with password {} ({}); sign in at /desk.html and "
                + "change it in the admin dashboard", ID, new String(password),
                file == null ? "kept nowhere else: there is no data_dir" : "also in " + file);
        return Optional.of(a);
    }

    private static void writePrivately(Path file, String text) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.deleteIfExists(file); // left by a start that stopped before the agent was stored
        if (Files.getFileStore(file.toAbsolutePath().getParent()).supportsFileAttributeView("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
        }
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
    }
}
