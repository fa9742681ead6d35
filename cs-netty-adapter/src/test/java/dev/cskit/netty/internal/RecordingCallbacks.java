/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.netty.internal;

import dev.cskit.api.room.JoinDecision;
import dev.cskit.api.room.JoinRequest;
import dev.cskit.api.room.LeaveReason;
import dev.cskit.api.room.Participant;
import dev.cskit.api.room.RoomCallbacks;
import dev.cskit.api.room.RoomMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Test callbacks that record every call as a line and answer joins with a configurable function. */
final class RecordingCallbacks implements RoomCallbacks {

    final List<String> events = new ArrayList<>();
    final List<RoomMessage> messages = new ArrayList<>();
    volatile Function<JoinRequest, JoinDecision> decide = r -> JoinDecision.accept(r.userId() + "-name", "customer");

    @Override
    public synchronized JoinDecision onJoin(JoinRequest request) {
        events.add("onJoin " + request.roomId() + " " + request.userId() + " " + request.token());
        return decide.apply(request);
    }

    @Override
    public synchronized void onJoined(String roomId, Participant participant) {
        events.add("onJoined " + roomId + " " + participant.userId());
    }

    @Override
    public synchronized void onLeave(String roomId, String userId, LeaveReason reason) {
        events.add("onLeave " + roomId + " " + userId + " " + reason);
    }

    @Override
    public synchronized void onMessage(RoomMessage message) {
        events.add("onMessage " + message.roomId() + " " + message.userId() + " " + message.action());
        messages.add(message);
    }

    @Override
    public synchronized void onRoomClosed(String roomId) {
        events.add("onRoomClosed " + roomId);
    }

    synchronized List<String> events() {
        return new ArrayList<>(events);
    }
}
