-- Creates a session if fewer than maxOpen sessions are open (Waiting or Active) in the whole store.
-- KEYS: 1 the session's hash, 2 the index of every session, 3 the index of its status, 4 the counters,
--       5 the outbox records, 6 their order, 7 the outbox sequence
-- ARGV: 1 json, 2 write id, 3 score (created_at, epoch ms), 4 session id, 5 maxOpen, 6..13 counter deltas,
--       14.. outbox triples
local written = redis.call('HGET', KEYS[1], 'op')
if written then
  if written == ARGV[2] then
    return 'STORED' -- this very write, sent again by the client after a lost connection: it is made already
  end
  return redis.error_reply('ERR session ' .. ARGV[4] .. ' exists already')
end
local open = redis.call('HMGET', KEYS[4], 'waiting', 'active')
if (tonumber(open[1]) or 0) + (tonumber(open[2]) or 0) >= tonumber(ARGV[5]) then
  return 'LIMIT'
end
redis.call('HSET', KEYS[1], 'json', ARGV[1], 'rev', 1, 'op', ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[4])
count(KEYS[4], 6)
outbox(KEYS[5], KEYS[6], KEYS[7], 14)
return 'STORED'
