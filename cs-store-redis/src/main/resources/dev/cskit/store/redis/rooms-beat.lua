-- This node's heartbeat: renews its lease (ARGV[3] ms) and drops the seats of dead nodes from the rooms ARGV[4..]
-- (those it holds seats in). Answers {1 if the lease was still there else 0, the dropped seats as a flat list: room,
-- user, room, user, ...}.
local was = redis.call('SET', lease_key(ME), '1', 'PX', ARGV[3], 'GET')
local out = {}
for i = 4, #ARGV do
  for _, user in ipairs(prune(ARGV[i])) do
    out[#out + 1] = ARGV[i]
    out[#out + 1] = user
  end
end
return {was and 1 or 0, out}
