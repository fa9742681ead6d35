-- The end of one step of the agents' routing (RedisRoutingState.commit): writes what the step changed and lets the
-- routing lock go, only if the lock is still the step's (its token): a node whose lease ran out writes nothing.
-- KEYS: lock, agents, agents order, queue, queue order, order seq, handling times, seats, ring leases.
-- ARGV: token, handling times kept, then sections, each a count n and n items:
--   agents put (id, json), agents removed (id), queue put (id, json), queue removed (id), handling times added (s),
--   seats put (agent id, node), seats removed (agent id), leases put (ring id, node), leases removed (ring id).
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return 'LOST'
end
local keep = tonumber(ARGV[2])
local at = 3

-- Runs step on each of the n items of the next section, each width arguments wide.
local function section(width, step)
  local n = tonumber(ARGV[at])
  at = at + 1
  for _ = 1, n do
    step(at)
    at = at + width
  end
end

-- A record put: a new one also gets the next place in its order.
local function put(records, order)
  return function(i)
    if redis.call('HEXISTS', records, ARGV[i]) == 0 then
      redis.call('ZADD', order, redis.call('INCR', KEYS[6]), ARGV[i])
    end
    redis.call('HSET', records, ARGV[i], ARGV[i + 1])
  end
end

local function remove(records, order)
  return function(i)
    redis.call('HDEL', records, ARGV[i])
    if order then
      redis.call('ZREM', order, ARGV[i])
    end
  end
end

section(2, put(KEYS[2], KEYS[3]))
section(1, remove(KEYS[2], KEYS[3]))
section(2, put(KEYS[4], KEYS[5]))
section(1, remove(KEYS[4], KEYS[5]))
section(1, function(i)
  redis.call('RPUSH', KEYS[7], ARGV[i])
  redis.call('LTRIM', KEYS[7], -keep, -1)
end)
section(2, function(i) redis.call('HSET', KEYS[8], ARGV[i], ARGV[i + 1]) end)
section(1, remove(KEYS[8], nil))
section(2, function(i) redis.call('HSET', KEYS[9], ARGV[i], ARGV[i + 1]) end)
section(1, remove(KEYS[9], nil))
redis.call('DEL', KEYS[1])
return 'STORED'
