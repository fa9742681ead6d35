/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.example.modular;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cskit.testkit.ClientPeer;
import dev.cskit.media.srtp.SrtpProfile;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cskit on the module path: the packaged jars of cs-api, cs-core, cs-media and cs-netty-adapter and their
 * dependencies (as the build resolved them, target/module-path.txt) are the module path of a child JVM that runs
 * {@link Main}.
 * The plugin must be found by {@code ServiceLoader} through cs-core's {@code provides} and cs-api's {@code uses}
 * (META-INF/services does not count for a named module), and then serve what touches every module at run time:
 * the JSON API (Jackson), a QR code (zxing, java.desktop) and a WHIP publish through ICE and DTLS-SRTP
 * (cs-media, BouncyCastle) on the UDP media port (Netty).
 */
class ModulePathIT {

    private static final Pattern READY = Pattern.compile(Pattern.quote(Main.READY)
            + " http (\\d+), media (\\d+), plugin (\\S+), modules (.*)$");
    private static final Set<String> LIBRARY_MODULES = Set.of("dev.cskit.api", "dev.cskit.core", "dev.cskit.media",
            "dev.cskit.netty");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    Path dataDir;

    /** The example's jar, then its runtime dependencies as the build resolved them (failsafe says where). */
    private static String modulePath() throws IOException {
        String deps = System.getProperty("cskit.dependencyPath");
        String jar = System.getProperty("cskit.exampleJar");
        assertNotNull(deps, "run through Maven: failsafe sets cskit.dependencyPath and cskit.exampleJar");
        return jar + File.pathSeparator + Files.readString(Path.of(deps), StandardCharsets.UTF_8).strip();
    }

    @Test
    void libraryJarsAreExplicitModulesThatHideTheirInternals() throws IOException {
        Path[] entries = Arrays.stream(modulePath().split(File.pathSeparator)).map(Path::of)
                .toArray(Path[]::new);
        Map<String, ModuleDescriptor> cskit = new TreeMap<>();
        for (ModuleReference ref : ModuleFinder.of(entries).findAll()) {
            if (ref.descriptor().name().startsWith("dev.cskit.")) {
                cskit.put(ref.descriptor().name(), ref.descriptor());
            }
        }
        assertTrue(cskit.keySet().containsAll(LIBRARY_MODULES), "cskit modules on the module path: " + cskit.keySet());
        for (String name : LIBRARY_MODULES) {
            ModuleDescriptor d = cskit.get(name);
            assertFalse(d.isAutomatic(), name + " has no module-info (an automatic module)");
            for (ModuleDescriptor.Exports e : d.exports()) {
                assertFalse(e.source().endsWith(".internal") && !e.isQualified(),
                        name + " exports its unsupported package " + e.source() + " to everyone");
            }
        }
        assertTrue(cskit.get("dev.cskit.netty").packages().contains("dev.cskit.netty.internal"),
                "the check above has an internal package to check");
        assertEquals(Set.of("dev.cskit.api.CustomerServicePlugin"), cskit.get("dev.cskit.api").uses());
        assertEquals(Set.of(new ProvidesView("dev.cskit.api.CustomerServicePlugin",
                        List.of("dev.cskit.core.CustomerService"))),
                cskit.get("dev.cskit.core").provides().stream()
                        .map(p -> new ProvidesView(p.service(), p.providers())).collect(Collectors.toSet()));
    }

    private record ProvidesView(String service, List<String> providers) {
    }

    @Test
    void pluginFoundByServiceLoaderServesHttpAndMediaOnTheModulePath() throws Exception {
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "--module-path", modulePath(),
                // What the README tells module-path users for the JDK's GHASH; the JVM warns if the module is unknown.
                "--add-opens", "java.base/com.sun.crypto.provider=dev.cskit.media",
                "--module", "dev.cskit.example.modular/dev.cskit.example.modular.Main",
                dataDir.toString());
        try (Child child = Child.start(command)) {
            Matcher ready = child.ready();
            String base = "http://127.0.0.1:" + ready.group(1);
            int mediaPort = Integer.parseInt(ready.group(2));
            assertEquals("dev.cskit.core/dev.cskit.core.CustomerService", ready.group(3),
                    "the plugin ServiceLoader found, as module/class");
            assertEquals("dev.cskit.api dev.cskit.core dev.cskit.example.modular dev.cskit.media dev.cskit.netty",
                    ready.group(4), "the cskit modules of the boot layer, none automatic");
            assertFalse(child.output().contains("Unknown module"), child.output());

            assertEquals(200, get(base + "/readyz").statusCode(), "ready once the plugin has started");
            JsonNode session = api("POST", base + "/customer-service/sessions",
                    "{\"title\":\"On the module path\",\"customer_name\":\"Mo\"}");
            String sid = session.get("id").asText();
            assertTrue(sid.startsWith("cs_"), session.toString());
            api("POST", base + "/customer-service/sessions/" + sid + "/assign",
                    "{\"agent_id\":\"agent_mp\",\"agent_name\":\"Agent Module\"}");
            JsonNode links = api("GET", base + "/customer-service/sessions/" + sid + "/links", null);

            HttpResponse<byte[]> qr = http.send(HttpRequest.newBuilder(
                            URI.create(base + "/customer-service/sessions/" + sid + "/qr?role=customer"))
                    .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, qr.statusCode());
            assertEquals("image/png", qr.headers().firstValue("Content-Type").orElse(""));
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(qr.body(), 4), "a PNG");

            SrtpProfile profile = publish(base, new InetSocketAddress("127.0.0.1", mediaPort), sid,
                    links.get("customer_id").asText(), links.get("customer_token").asText());
            assertNotNull(profile);

            child.terminate();
            assertTrue(child.waitForExit(TIMEOUT), "SIGTERM stops the example:\n" + child.output());
        }
    }

    /** WHIP-publishes a client peer and waits for ICE and DTLS-SRTP to complete; the negotiated profile. */
    private SrtpProfile publish(String base, InetSocketAddress media, String sid, String user, String token)
            throws Exception {
        ExecutorService handshakes = Executors.newCachedThreadPool();
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            ClientPeer peer = ClientPeer.newBuilder(ClientPeer.Role.PUBLISH)
                    .sender((buf, off, len, to) -> {
                        try {
                            socket.send(new DatagramPacket(buf, off, len, to));
                        } catch (IOException e) {
                            // a lost datagram: the check below is repeated
                        }
                    })
                    .executor(handshakes)
                    .handshakeTimeout(TIMEOUT)
                    .build();
            Thread receiver = new Thread(() -> {
                byte[] buf = new byte[2048];
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                while (!socket.isClosed()) {
                    try {
                        socket.receive(p);
                        peer.receive(p.getData(), p.getOffset(), p.getLength());
                    } catch (IOException e) {
                        return; // closed
                    }
                }
            }, "module-path-it-rx");
            receiver.setDaemon(true);
            receiver.start();

            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                            URI.create(base + "/webrtc/whip/customer-service/" + sid + "/" + user))
                    .timeout(TIMEOUT)
                    .header("Content-Type", "application/sdp")
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString(peer.offer()))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, answer.statusCode(), answer.body());
            peer.acceptAnswer(answer.body());
            assertEquals(media, peer.serverAddress(), "the answer's candidate is the example's media port");

            peer.connect();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            try {
                while (true) {
                    try {
                        return peer.connected().get(1, TimeUnit.SECONDS);
                    } catch (TimeoutException e) {
                        if (System.nanoTime() > deadline) {
                            throw new AssertionError("ICE and DTLS did not complete in " + TIMEOUT + ": "
                                    + peer.stats(), e);
                        }
                        if (peer.stats().stunSucceeded() == 0) {
                            peer.sendBindingRequest(); // the first check may be lost
                        }
                    }
                }
            } finally {
                peer.close();
            }
        } finally {
            handshakes.shutdownNow();
        }
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A cskit API call that must succeed; its {@code data}. */
    private JsonNode api(String method, String url, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), method + " " + url + ": " + r.body());
        JsonNode envelope = json.readTree(r.body());
        assertEquals(0, envelope.get("code").asInt(), r.body());
        return envelope.get("data");
    }

    /** The example in a child JVM; its output is kept for failure messages. */
    private static final class Child implements AutoCloseable {
        private final Process process;
        private final List<String> output = new CopyOnWriteArrayList<>();
        private final CompletableFuture<Matcher> ready = new CompletableFuture<>();

        private Child(Process process) {
            this.process = process;
        }

        static Child start(List<String> command) throws IOException {
            Child c = new Child(new ProcessBuilder(command).redirectErrorStream(true).start());
            Thread reader = new Thread(c::read, "module-path-it-child-output");
            reader.setDaemon(true);
            reader.start();
            return c;
        }

        private void read() {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.add(line);
                    Matcher m = READY.matcher(line);
                    if (m.find()) {
                        ready.complete(m);
                    }
                }
            } catch (IOException e) {
                output.add("[reading the output failed: " + e + "]");
            } finally {
                ready.completeExceptionally(new IllegalStateException("the example's output ended"));
            }
        }

        Matcher ready() throws InterruptedException {
            try {
                return ready.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new AssertionError("no ready line from the example on the module path; output:\n" + output(), e);
            }
        }

        String output() {
            return String.join("\n", new ArrayList<>(output));
        }

        /** SIGTERM: the shutdown hook closes the host. */
        void terminate() {
            process.toHandle().destroy();
        }

        boolean waitForExit(Duration timeout) throws InterruptedException {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
