/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cskit.api.AgentAccount;
import dev.cskit.api.CsConfig;
import dev.cskit.core.CustomerService;
import dev.cskit.server.Main;
import dev.cskit.server.ServerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * Runs the Node end-to-end scripts of {@code examples/e2e} (werift, playwright-core driving Debian's chromium,
 * puppeteer-core driving Debian's firefox-esr) against a server started in this JVM on ephemeral ports, or
 * inside a {@link NetNs}. The tools are required, not optional: when they are missing the test fails and says
 * how to install them ({@code mvn verify} runs {@code npm ci} in {@code examples/e2e} first; {@code bash .ci/run}
 * also installs chromium and firefox-esr).
 */
final class NodeScripts {

    static final Path E2E_DIR = Path.of("..", "e2e").toAbsolutePath().normalize();

    private NodeScripts() {
    }

    /** Starts the standalone server on 127.0.0.1 with ephemeral HTTP and media ports and a fresh data dir. */
    static Main.Server startServer(Path dataDir, CsConfig.Builder cs) throws Exception {
        ServerConfig server = new ServerConfig(0, 0, "127.0.0.1", Duration.ofSeconds(60));
        return Main.start(server, cs.dataDir(dataDir).build(), new CustomerService());
    }

    /** agent_001, "Agent Wang", password {@code secret}: the agent the scripts sign in as unless told otherwise. */
    static AgentAccount agentWang() {
        return new AgentAccount("agent_001", "Agent Wang",
                OpenBSDBCrypt.generate("2b", "secret".toCharArray(), new byte[16], 4));
    }

    static String baseUrl(Main.Server s) {
        return "http://127.0.0.1:" + s.host().port();
    }

    /** Checks that node, the npm packages and chromium are there, failing with the fix if not. */
    static void requireTools(boolean chromium) {
        assertTrue(Files.isDirectory(E2E_DIR.resolve("node_modules/werift"))
                        && Files.isDirectory(E2E_DIR.resolve("node_modules/playwright-core"))
                        && Files.isDirectory(E2E_DIR.resolve("node_modules/puppeteer-core")),
                "the end-to-end tools are not installed in " + E2E_DIR + ": mvn verify installs them before the"
                        + " integration tests (examples/e2e/install.mjs runs npm ci); did it fail or was it skipped?");
        if (chromium) {
            assertTrue(Files.isExecutable(Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"))),
                    "chromium is not installed: apt-get install -y chromium (bash .ci/run does)");
        }
    }

    /** Checks what {@link #requireTools} does with chromium, and that Firefox ESR is there. */
    static void requireFirefox() {
        requireTools(true);
        assertTrue(Files.isExecutable(Path.of(System.getenv().getOrDefault("FIREFOX", "/usr/bin/firefox-esr"))),
                "firefox-esr is not installed: apt-get install -y firefox-esr (bash .ci/run does)");
    }

    /** The result of one script run: its exit code, its last stdout line (JSON), and everything it printed. */
    record Run(int exitCode, String lastLine, String output) {
    }

    /** Runs {@code node script args…} in the e2e folder, waiting at most {@code timeout}. */
    static Run run(Duration timeout, String script, String... args) throws IOException, InterruptedException {
        return run(UnaryOperator.identity(), timeout, script, args);
    }

    /**
     * Like {@link #run(Duration, String, String...)}, with the command line passed through {@code wrap} first (e.g.
     * {@link NetNs#command} to run it inside a network namespace).
     */
    static Run run(UnaryOperator<List<String>> wrap, Duration timeout, String script, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("node", script));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile("cskit-e2e-", ".log");
        Process p = new ProcessBuilder(wrap.apply(cmd)).directory(E2E_DIR.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        String last = "";
        for (String line : out.split("\n")) {
            if (line.startsWith("{")) {
                last = line;
            }
        }
        System.out.println("[" + script + "] " + out);
        return new Run(done ? p.exitValue() : -1, last, out);
    }

    static void assertPassed(Run run) {
        assertEquals(0, run.exitCode(), () -> "script failed (exit " + run.exitCode() + "): " + run.output());
        assertTrue(run.lastLine().contains("\"ok\":true"), () -> "script did not report ok: " + run.output());
    }

    /** The string field {@code name} of the JSON result a script printed last. */
    static String field(Run run, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(run.lastLine());
        assertTrue(m.find(), () -> name + " not in " + run.lastLine());
        return m.group(1);
    }

    /** Deletes the screenshots {@code names} from {@link WebPagesIT#SHOTS}, so that none left by an earlier run passes. */
    static void deleteShots(List<String> names) throws IOException {
        for (String name : names) {
            Files.deleteIfExists(WebPagesIT.SHOTS.resolve(name));
        }
    }

    /** Checks that a script wrote each screenshot of {@code names} to {@link WebPagesIT#SHOTS}, each over 10 KiB. */
    static void assertShots(List<String> names) throws IOException {
        for (String name : names) {
            Path png = WebPagesIT.SHOTS.resolve(name);
            assertTrue(Files.isRegularFile(png), () -> "missing screenshot " + png);
            long size = Files.size(png);
            assertTrue(size > 10 * 1024, () -> png + " is only " + size + " bytes");
        }
    }
}
