-- This node's heartbeat: renews its lease (ARGV[3] ms) and drops the seats of dead nodes from the rooms ARGV[4..]
-- (those it holds seats in). Answers the dropped seats as a flat list: room, user, room, user, ...
redis.call('SET', lease_key(ME), '1', 'PX', ARGV[3])
local out = {}
for i = 4, #ARGV do
  for _, user in ipairs(prune(ARGV[i])) do
    out[#out + 1] = ARGV[i]
    out[#out + 1] = user
  end
end
return out
