-- This node's heartbeat: renews its lease (ARGV[3] ms) and drops the seats of dead nodes from the rooms ARGV[4..]
-- (those it holds seats in). Answers {1 if the lease was still there else 0, the dropped seats as a flat list: room,
-- user, room, user, ...}.
local was = redis.call('SET', lease_key(ME), '1', 'PX', ARGV[3], 'GET')
-- A node whose own lease had lapsed (Redis restarted and its keys' TTLs ran out meanwhile, or this node paused)
-- judges nobody this time (and, from Java, for a seat TTL more): the other nodes, cut off as it was, renew theirs.
local out = {}
if was then
  for i = 4, #ARGV do
    for _, user in ipairs(prune(ARGV[i])) do
      out[#out + 1] = ARGV[i]
      out[#out + 1] = user
    end
  end
end
return {was and 1 or 0, out}
