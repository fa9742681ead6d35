/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.bench.load;

import dev.cskit.media.srtp.SrtpProfile;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The load harness's command-line options (see {@link LoadHarness}). */
final class Options {
    /** The machine's cores, read before the harness pins itself. */
    final int cores = Runtime.getRuntime().availableProcessors();
    int[] ramp = {50, 100, 150, 200};
    int loops = 1;
    int videoKbps = 1000;
    int videoBytes = 1100;
    int audioBytes = 160;
    int seconds = 15;
    int warmupSeconds = 3;
    List<String> serverJvm = List.of("-Xmx2g");
    String srtp = "gcm";
    String serverCpus = Runtime.getRuntime().availableProcessors() >= 2 ? "0" : null;
    String clientCpus = Runtime.getRuntime().availableProcessors() >= 2 ? "1" : null;
    boolean relay = true;
    int setupParallel = 8;
    double stopLoss = 5;
    String markdown;
    String plot;

    int maxCalls() {
        return Arrays.stream(ramp).max().orElse(0);
    }

    List<SrtpProfile> profiles() {
        return switch (srtp) {
            case "aes" -> List.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
            case "both" -> List.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80, SrtpProfile.AEAD_AES_128_GCM);
            default -> List.of(SrtpProfile.AEAD_AES_128_GCM);
        };
    }

    static Options parse(String[] args) {
        Options o = new Options();
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + a + "; options start with --");
            }
            if (a.equals("--no-relay")) {
                o.relay = false;
            } else if (i + 1 < args.length) {
                m.put(a.substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException(a + " needs a value");
            }
        }
        if (m.containsKey("calls")) {
            o.ramp = new int[] {Integer.parseInt(m.remove("calls"))};
        }
        if (m.containsKey("ramp")) {
            o.ramp = Arrays.stream(m.remove("ramp").split(",")).map(String::trim).mapToInt(Integer::parseInt)
                    .sorted().toArray();
        }
        o.loops = Integer.parseInt(m.getOrDefault("loops", "" + o.loops));
        o.videoKbps = Integer.parseInt(m.getOrDefault("video-kbps", "" + o.videoKbps));
        o.videoBytes = Integer.parseInt(m.getOrDefault("video-bytes", "" + o.videoBytes));
        o.audioBytes = Integer.parseInt(m.getOrDefault("audio-bytes", "" + o.audioBytes));
        o.seconds = Integer.parseInt(m.getOrDefault("seconds", "" + o.seconds));
        o.warmupSeconds = Integer.parseInt(m.getOrDefault("warmup", "" + o.warmupSeconds));
        if (m.containsKey("server-jvm")) {
            o.serverJvm = List.of(m.get("server-jvm").trim().split("\\s+"));
        }
        o.srtp = m.getOrDefault("srtp", o.srtp);
        o.serverCpus = cpus(m.getOrDefault("server-cpus", String.valueOf(o.serverCpus)));
        o.clientCpus = cpus(m.getOrDefault("client-cpus", String.valueOf(o.clientCpus)));
        o.setupParallel = Integer.parseInt(m.getOrDefault("setup-parallel", "" + o.setupParallel));
        o.stopLoss = Double.parseDouble(m.getOrDefault("stop-loss", "" + o.stopLoss));
        o.markdown = m.get("markdown");
        o.plot = m.get("plot");
        for (String k : List.of("loops", "video-kbps", "video-bytes", "audio-bytes", "seconds", "warmup", "server-jvm",
                "srtp", "server-cpus", "client-cpus", "setup-parallel", "stop-loss", "markdown", "plot")) {
            m.remove(k);
        }
        if (!m.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s): " + m.keySet());
        }
        if (o.videoBytes + 12 + 16 > 1500 || o.videoBytes < 16 || o.audioBytes < 16) {
            throw new IllegalArgumentException("--video-bytes/--audio-bytes must be 16..1472");
        }
        return o;
    }

    private static String cpus(String v) {
        return v.equals("none") || v.equals("null") ? null : v;
    }
}
