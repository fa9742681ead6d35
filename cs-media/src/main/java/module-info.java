/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */

/**
 * WebRTC media without a server: one package per protocol (STUN/ICE-lite, DTLS-SRTP, SRTP/SRTCP, RTP, RTCP, SDP),
 * the WHIP/WHEP answerer, forwarding, recording, and a client peer for tests and load harnesses. No Netty, no
 * Jackson. AEAD_AES_128_GCM runs on the JDK's GHASH when the JVM opens it to this module:
 * {@code --add-opens java.base/com.sun.crypto.provider=dev.cskit.media}.
 */
module dev.cskit.media {
    requires org.slf4j;
    requires org.bouncycastle.provider;
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.tls;

    exports dev.cskit.media.dtls;
    exports dev.cskit.media.forward;
    exports dev.cskit.media.ice;
    exports dev.cskit.media.record;
    exports dev.cskit.media.rtcp;
    exports dev.cskit.media.rtp;
    exports dev.cskit.media.sdp;
    exports dev.cskit.media.srtp;
    exports dev.cskit.media.stun;
    exports dev.cskit.media.whip;
}
