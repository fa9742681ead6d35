/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.server;

import dev.cskit.api.annotation.Nullable;
import java.nio.file.Path;

/**
 * The parsed command line: run the server (with overrides), hash a password, or print help.
 *
 * @param command      what to do
 * @param port         {@code --port}, or null
 * @param mediaPort    {@code --media-port}, or null
 * @param configFile   {@code --config}, or null
 * @param dataDir      {@code --data-dir}, or null
 * @param password     the password of {@code hash-password PASSWORD}, or null to read it from the console/stdin
 * @param tlsCert      {@code --tls-cert}, or null
 * @param tlsKey       {@code --tls-key}, or null
 * @param tlsSelfSigned {@code --tls-self-signed}
 * @param publicIp     {@code --public-ip}: the addresses to advertise in ICE candidates (comma list), or null
 */
public record CommandLine(Command command, @Nullable Integer port, @Nullable Integer mediaPort,
                          @Nullable Path configFile, @Nullable Path dataDir, @Nullable String password,
                          @Nullable Path tlsCert, @Nullable Path tlsKey, boolean tlsSelfSigned,
                          @Nullable String publicIp) {

    public enum Command { RUN, HASH_PASSWORD, HELP }

    public static final String USAGE = String.join(System.lineSeparator(),
            "usage: java -jar cs-server.jar [--port N] [--media-port N] [--public-ip A[,B]] [--config FILE] [--data-dir DIR]",
            "                               [--tls-cert FILE --tls-key FILE | --tls-self-signed]",
            "       java -jar cs-server.jar hash-password [PASSWORD]",
            "       java -jar cs-server.jar --help",
            "",
            "  --port N        HTTP and room WebSocket port (default 8080)",
            "  --media-port N  one UDP port for WebRTC media (default 9000; server.media_ports for one per core)",
            "  --public-ip A[,B]  the addresses put in ICE candidates (default: every up interface, and loopback)",
            "  --config FILE   YAML configuration; every key optional, command-line flags win",
            "  --data-dir DIR  where sessions and ratings are kept (default ./data)",
            "  --tls-cert FILE PEM certificate chain: serve HTTPS and WSS on --port (with --tls-key)",
            "  --tls-key FILE  its PEM private key (PKCS#8, or RSA/EC); re-read when the files change",
            "  --tls-self-signed  HTTPS with a throwaway self-signed certificate (LAN trials; fingerprint logged)",
            "  hash-password   print a bcrypt hash for customer_service.agents[].password_hash");

    /** Thrown for a command line that cannot be understood; the message says what is wrong. */
    public static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        public UsageException(String message) {
            super(message);
        }
    }

    public static CommandLine parse(String... args) throws UsageException {
        if (args.length > 0 && args[0].equals("hash-password")) {
            if (args.length > 2) {
                throw new UsageException("hash-password takes at most one argument, the password");
            }
            return new CommandLine(Command.HASH_PASSWORD, null, null, null, null, args.length == 2 ? args[1] : null,
                    null, null, false, null);
        }
        Integer port = null;
        Integer mediaPort = null;
        Path config = null;
        Path dataDir = null;
        Path tlsCert = null;
        Path tlsKey = null;
        boolean selfSigned = false;
        String publicIp = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String flag = a;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                flag = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            switch (flag) {
                case "--help", "-h" -> {
                    return new CommandLine(Command.HELP, null, null, null, null, null, null, null, false, null);
                }
                case "--tls-self-signed" -> {
                    if (value != null) {
                        throw new UsageException("--tls-self-signed takes no value");
                    }
                    selfSigned = true;
                }
                case "--port", "--media-port", "--public-ip", "--config", "--data-dir", "--tls-cert", "--tls-key" -> {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new UsageException(flag + " needs a value");
                        }
                        value = args[++i];
                    }
                    switch (flag) {
                        case "--port" -> port = port(flag, value);
                        case "--media-port" -> mediaPort = port(flag, value);
                        case "--public-ip" -> publicIp = value;
                        case "--config" -> config = Path.of(value);
                        case "--tls-cert" -> tlsCert = Path.of(value);
                        case "--tls-key" -> tlsKey = Path.of(value);
                        default -> dataDir = Path.of(value);
                    }
                }
                default -> throw new UsageException("unknown argument '" + a + "'");
            }
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new UsageException("--tls-cert and --tls-key go together");
        }
        if (selfSigned && tlsCert != null) {
            throw new UsageException("use --tls-cert/--tls-key or --tls-self-signed, not both");
        }
        return new CommandLine(Command.RUN, port, mediaPort, config, dataDir, null, tlsCert, tlsKey, selfSigned, publicIp);
    }

    private static int port(String flag, String value) throws UsageException {
        try {
            int p = Integer.parseInt(value);
            if (p < 0 || p > 65535) {
                throw new UsageException(flag + " must be 0..65535, was " + value);
            }
            return p;
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " must be a number, was '" + value + "'");
        }
    }
}
