-- RedisNodeRegistry's heartbeat: KEYS[1] the node's hash, KEYS[2] the set of node ids; ARGV[1] the TTL (ms),
-- ARGV[2] now (epoch ms), ARGV[3] the node id, ARGV[4] '1' if the node drains itself, then field/value pairs.
-- A drain asked by an admin (the hash's draining = 1) stays until the node's entry is gone. Answers the draining flag.
for i = 5, #ARGV, 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
end
if ARGV[4] == '1' or redis.call('HGET', KEYS[1], 'draining') == '1' then
  redis.call('HSET', KEYS[1], 'draining', '1')
else
  redis.call('HSET', KEYS[1], 'draining', '0')
end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
return redis.call('HGET', KEYS[1], 'draining')
