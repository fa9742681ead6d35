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
    int[] ramp = {10, 50, 100, 200, 300, 400, 500};
    int videoKbps = 1000;
    int videoBytes = 1100;
    int audioBytes = 160;
    int seconds = 15;
    int warmupSeconds = 3;
    String server = "child";
    List<String> serverJvm = List.of("-Xmx2g");
    String srtp = "aes";
    int rxThreads = 2;
    int pacerThreads = 2;
    int setupParallel = 8;
    double stopLoss = 5;
    boolean profile;
    String markdown;

    int maxCalls() {
        return Arrays.stream(ramp).max().orElse(0);
    }

    List<SrtpProfile> profiles() {
        return switch (srtp) {
            case "gcm" -> List.of(SrtpProfile.AEAD_AES_128_GCM);
            case "both" -> List.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80, SrtpProfile.AEAD_AES_128_GCM);
            default -> List.of(SrtpProfile.AES_CM_128_HMAC_SHA1_80);
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
            if (a.equals("--profile")) {
                o.profile = true;
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
        o.videoKbps = Integer.parseInt(m.getOrDefault("video-kbps", "" + o.videoKbps));
        o.videoBytes = Integer.parseInt(m.getOrDefault("video-bytes", "" + o.videoBytes));
        o.audioBytes = Integer.parseInt(m.getOrDefault("audio-bytes", "" + o.audioBytes));
        o.seconds = Integer.parseInt(m.getOrDefault("seconds", "" + o.seconds));
        o.warmupSeconds = Integer.parseInt(m.getOrDefault("warmup", "" + o.warmupSeconds));
        o.server = m.getOrDefault("server", o.server);
        if (m.containsKey("server-jvm")) {
            o.serverJvm = List.of(m.get("server-jvm").trim().split("\\s+"));
        }
        o.srtp = m.getOrDefault("srtp", o.srtp);
        o.rxThreads = Integer.parseInt(m.getOrDefault("rx-threads", "" + o.rxThreads));
        o.pacerThreads = Integer.parseInt(m.getOrDefault("pacer-threads", "" + o.pacerThreads));
        o.setupParallel = Integer.parseInt(m.getOrDefault("setup-parallel", "" + o.setupParallel));
        o.stopLoss = Double.parseDouble(m.getOrDefault("stop-loss", "" + o.stopLoss));
        o.markdown = m.get("markdown");
        for (String k : List.of("video-kbps", "video-bytes", "audio-bytes", "seconds", "warmup", "server",
                "server-jvm", "srtp", "rx-threads", "pacer-threads", "setup-parallel", "stop-loss", "markdown")) {
            m.remove(k);
        }
        if (!m.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s): " + m.keySet());
        }
        if (o.videoBytes + 12 + 16 > 1500 || o.videoBytes < MediaLoad.PROBE || o.audioBytes < MediaLoad.PROBE) {
            throw new IllegalArgumentException("--video-bytes/--audio-bytes must be " + MediaLoad.PROBE + "..1472");
        }
        return o;
    }
}
