-- Gives up this node's seat of a user, if it still holds it. ARGV: 3 room, 4 user, 5 the user_left frame for the
-- others. Answers 1 if it did, else 0.
local room, user = ARGV[3], ARGV[4]
local seat = redis.call('HGET', seats_key(room), user)
if not seat or node_of(seat) ~= ME then
  return 0
end
redis.call('HDEL', seats_key(room), user)
fanout(room, 'all', nil, 'd', ARGV[5], nil)
close_if_empty(room)
return 1
