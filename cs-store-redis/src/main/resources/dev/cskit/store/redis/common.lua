-- Shared by the write scripts of RedisSessionStore (prepended to each). Every write of a session, its indexes, its
-- counters and its webhook outbox records happens in one script: Redis runs a script atomically, so no node ever
-- sees half a change, and a change is either wholly stored or not at all.

local COUNTERS = {'total', 'waiting', 'active', 'ended', 'rated', 'star_sum', 'duration_count', 'duration_sum'}

-- Adds the 8 counter deltas ARGV[from .. from+7] to the counters hash.
local function count(counters, from)
  for i, name in ipairs(COUNTERS) do
    local d = tonumber(ARGV[from + i - 1])
    if d ~= 0 then
      redis.call('HINCRBY', counters, name, d)
    end
  end
end

-- Applies outbox records, triples ARGV[from ..] of (id, '1' if kept else '0', json): a kept record is stored
-- (a new one also gets the next place in the order), any other is forgotten.
local function outbox(records, order, seq, from)
  for i = from, #ARGV, 3 do
    local id = ARGV[i]
    if ARGV[i + 1] == '1' then
      if redis.call('HEXISTS', records, id) == 0 then
        redis.call('ZADD', order, redis.call('INCR', seq), id)
      end
      redis.call('HSET', records, id, ARGV[i + 2])
    else
      redis.call('HDEL', records, id)
      redis.call('ZREM', order, id)
    end
  end
end
