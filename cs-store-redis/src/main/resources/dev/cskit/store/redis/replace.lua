-- Replaces a session if it is still at the revision the change was made from (compare-and-set).
-- KEYS: 1 the session's hash, 2 the index of its status before, 3 the index of its status after, 4 the counters,
--       5 the outbox records, 6 their order, 7 the outbox sequence
-- ARGV: 1 json, 2 write id, 3 the revision read, 4 session id, 5 score (created_at, epoch ms), 6..13 counter deltas,
--       14.. outbox triples
local current = redis.call('HMGET', KEYS[1], 'rev', 'op')
if not current[1] then
  return 'STALE' -- no such session (any more)
end
if current[2] == ARGV[2] then
  return 'STORED' -- this very write, sent again by the client after a lost connection: it is made already
end
if current[1] ~= ARGV[3] then
  return 'STALE'
end
redis.call('HSET', KEYS[1], 'json', ARGV[1], 'rev', tonumber(ARGV[3]) + 1, 'op', ARGV[2])
if KEYS[2] ~= KEYS[3] then
  redis.call('ZREM', KEYS[2], ARGV[4])
  redis.call('ZADD', KEYS[3], ARGV[5], ARGV[4])
end
count(KEYS[4], 6)
outbox(KEYS[5], KEYS[6], KEYS[7], 14)
return 'STORED'
