/*
 * Copyright 2026 The cskit Authors. Licensed under the Apache License, Version 2.0.
 */
package dev.cskit.store.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cskit.api.room.RoomCallbacks;
import dev.cskit.api.room.RoomInfo;
import dev.cskit.api.room.RoomService;
import dev.cskit.api.room.RoomType;
import dev.cskit.core.json.SessionJson;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rooms the agents' router sends to in a cluster: a frame to an agent's lobby is published on the channel of the
 * node that holds the agent's seat ({@code routing:lobby:<node>}, this node's own included), and that node's relay
 * sends it to the socket. Publishing happens on the routing connection, before the step's commit lets the lock go,
 * and Redis delivers a channel in the order it was published to, so an agent hears its frames in the order the
 * cluster made them, whichever nodes made them. Frames to other rooms, and to an agent seated nowhere, go to the
 * local rooms. Every other method is the local rooms'.
 *
 * <p><b>Threading:</b> thread-safe; {@link #sendTo} blocks for one Redis round trip. Relayed frames are sent to the
 * local rooms on Lettuce's I/O thread ({@link RoomService#sendTo} never blocks).
 */
final class LobbyRelay implements RoomService {

    private static final Logger LOG = LoggerFactory.getLogger(LobbyRelay.class);

    private final RoomService local;
    private final RoomType lobby;
    private final RedisRoutingState state;
    private final RoutingKeys keys;
    private final RedisCommands<String, String> redis;
    private final StatefulRedisPubSubConnection<String, String> subscription;

    private LobbyRelay(RoomService local, RoomType lobby, RedisRoutingState state, RoutingKeys keys,
                       RedisCommands<String, String> redis, StatefulRedisPubSubConnection<String, String> subscription) {
        this.local = local;
        this.lobby = lobby;
        this.state = state;
        this.keys = keys;
        this.redis = redis;
        this.subscription = subscription;
    }

    /** Subscribes to this node's lobby channel; frames published there go to {@code local}. */
    static LobbyRelay subscribe(RedisClient client, RoutingKeys keys, String nodeId, RoomService local, RoomType lobby,
                                RedisRoutingState state, RedisCommands<String, String> redis) {
        StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
        LobbyRelay relay = new LobbyRelay(local, lobby, state, keys, redis, sub);
        sub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                relay.deliver(message);
            }
        });
        sub.sync().subscribe(keys.lobbyChannel(nodeId));
        return relay;
    }

    void close() {
        subscription.close();
    }

    @Override
    public boolean sendTo(String roomId, String userId, String json) {
        if (!lobby.owns(roomId)) {
            return local.sendTo(roomId, userId, json);
        }
        String node = state.seatNode(userId);
        if (node == null) {
            return local.sendTo(roomId, userId, json);
        }
        ObjectNode env = SessionJson.MAPPER.createObjectNode();
        env.put("room", roomId);
        env.put("user", userId);
        env.put("frame", json);
        return redis.publish(keys.lobbyChannel(node), env.toString()) > 0;
    }

    private void deliver(String message) {
        try {
            JsonNode env = SessionJson.MAPPER.readTree(message);
            local.sendTo(env.path("room").asText(), env.path("user").asText(), env.path("frame").asText());
        } catch (JsonProcessingException e) {
            LOG.warn("a lobby frame relayed through Redis is not valid JSON; dropped");
        }
    }

    @Override
    public void registerCallbacks(RoomType type, RoomCallbacks callbacks) {
        local.registerCallbacks(type, callbacks);
    }

    @Override
    public void unregisterCallbacks(RoomType type) {
        local.unregisterCallbacks(type);
    }

    @Override
    public int broadcast(String roomId, String json) {
        return local.broadcast(roomId, json);
    }

    @Override
    public boolean removeUser(String roomId, String userId, String json) {
        return local.removeUser(roomId, userId, json);
    }

    @Override
    public boolean closeRoom(String roomId) {
        return local.closeRoom(roomId);
    }

    @Override
    public Optional<RoomInfo> room(String roomId) {
        return local.room(roomId);
    }

    @Override
    public List<RoomInfo> rooms(String prefix) {
        return local.rooms(prefix);
    }
}
