-- Shared by the scripts of RedisRoomBus (prepended to each). ARGV[1] is the key prefix of the rooms
-- ('cskit:rooms:'), ARGV[2] this node's id. Keys:
--   <p>room:<room id>      hash: user id -> '<node id>\n<participant JSON>', the room's seats
--   <p>meta                hash: room id -> '<type>\n<created, epoch ms>', one field per room with seats
--   <p>node:<node id>      string with a TTL: the node's heartbeat; its seats live while it does
-- and each node listens on the channel <p>node:<node id>:frames.
local P = ARGV[1]
local ME = ARGV[2]
local META = P .. 'meta'

local function seats_key(room) return P .. 'room:' .. room end
local function lease_key(node) return P .. 'node:' .. node end
local function channel(node) return P .. 'node:' .. node .. ':frames' end
local function node_of(seat) return string.sub(seat, 1, string.find(seat, '\n', 1, true) - 1) end

local function close_if_empty(room)
  if redis.call('HLEN', seats_key(room)) == 0 then
    redis.call('HDEL', META, room)
  end
end

-- Drops the seats of nodes whose heartbeat expired; returns their user ids.
local function prune(room)
  local key = seats_key(room)
  local all = redis.call('HGETALL', key)
  local alive = {}
  local dead = {}
  for i = 1, #all, 2 do
    local node = node_of(all[i + 1])
    if alive[node] == nil then
      alive[node] = node == ME or redis.call('EXISTS', lease_key(node)) == 1
    end
    if not alive[node] then
      redis.call('HDEL', key, all[i])
      dead[#dead + 1] = all[i]
    end
  end
  close_if_empty(room)
  return dead
end

-- Publishes one message of kind `kind` per node to the seats of `room` that `mode`/`user` name ('all', 'only' the
-- user, 'others' than the user), listing its users; returns how many seats it names.
local function fanout(room, mode, user, kind, json, reason)
  local all = redis.call('HGETALL', seats_key(room))
  local users = {}
  local nodes = {}
  local n = 0
  for i = 1, #all, 2 do
    local u = all[i]
    if mode == 'all' or (mode == 'only' and u == user) or (mode == 'others' and u ~= user) then
      local node = node_of(all[i + 1])
      if users[node] == nil then
        users[node] = {}
        nodes[#nodes + 1] = node
      end
      table.insert(users[node], u)
      n = n + 1
    end
  end
  for _, node in ipairs(nodes) do
    redis.call('PUBLISH', channel(node), cjson.encode({k = kind, r = room, u = users[node], j = json, w = reason}))
  end
  return n
end
