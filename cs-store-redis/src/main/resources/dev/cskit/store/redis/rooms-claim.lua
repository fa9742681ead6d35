-- Takes a seat for this node. ARGV: 3 room, 4 user, 5 seat ('<node>\n<participant JSON>'), 6 max seats, 7 type,
-- 8 now (epoch ms), 9 the user_joined frame for the others, 10 the frame for a connection of another node it replaces.
-- Answers {'SEATED', expired users, every seat} or {'FULL', expired users}.
local room, user = ARGV[3], ARGV[4]
local key = seats_key(room)
local expired = {}
for _, u in ipairs(prune(room)) do
  if u ~= user then -- the user's own seat on a dead node: taken over, as from a live one (user_joined, no user_left)
    expired[#expired + 1] = u
  end
end
local old = redis.call('HGET', key, user)
if not old and redis.call('HLEN', key) >= tonumber(ARGV[6]) then
  return {'FULL', expired}
end
if old and node_of(old) ~= ME then
  redis.call('PUBLISH', channel(node_of(old)), cjson.encode({k = 'p', r = room, u = {user}, j = ARGV[10]}))
end
redis.call('HSET', key, user, ARGV[5])
redis.call('HSETNX', META, room, ARGV[7] .. '\n' .. ARGV[8])
fanout(room, 'others', user, 'd', ARGV[9], nil)
return {'SEATED', expired, redis.call('HVALS', key)}
