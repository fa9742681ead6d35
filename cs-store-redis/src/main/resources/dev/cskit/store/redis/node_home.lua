-- RedisNodeRegistry's choice of a session's media home: KEYS[1] the session's home key; ARGV[1] the prefix of the
-- nodes' hashes, ARGV[2] the candidate node, ARGV[3] the home's TTL (ms). A stored home whose node is live (its hash
-- has not expired) stays; else the candidate becomes the home. One script, so nodes racing agree.
local current = redis.call('GET', KEYS[1])
if current and redis.call('EXISTS', ARGV[1] .. current) == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return current
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return ARGV[2]
