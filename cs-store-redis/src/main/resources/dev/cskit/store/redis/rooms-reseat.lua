-- This node's heartbeat had lapsed (a long pause, Redis restarted without its data): takes back the seats of its
-- users that nobody took meanwhile. ARGV[3..]: room, user, seat, type, now (epoch ms) and the
-- user_joined frame for the others (groups of 6). Answers how many seats it took back.
local n = 0
for i = 3, #ARGV, 6 do
  local room, user = ARGV[i], ARGV[i + 1]
  if redis.call('HEXISTS', seats_key(room), user) == 0 then
    redis.call('HSET', seats_key(room), user, ARGV[i + 2])
    redis.call('HSETNX', META, room, ARGV[i + 3] .. '\n' .. ARGV[i + 4])
    fanout(room, 'others', user, 'd', ARGV[i + 5], nil)
    n = n + 1
  end
end
return n
