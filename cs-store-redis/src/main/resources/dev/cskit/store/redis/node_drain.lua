-- RedisNodeRegistry's drain: KEYS[1] the node's hash. Marks a live node draining; answers '1', or '0' if not live.
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('HSET', KEYS[1], 'draining', '1')
  return '1'
end
return '0'
