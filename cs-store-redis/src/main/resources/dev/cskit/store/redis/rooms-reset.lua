-- A node starting: drops the seats its id still holds from before (a restart within the seat TTL). Answers them as a
-- flat list: room, user, room, user, ...
local out = {}
for _, room in ipairs(redis.call('HKEYS', META)) do
  local key = seats_key(room)
  local all = redis.call('HGETALL', key)
  for i = 1, #all, 2 do
    if node_of(all[i + 1]) == ME then
      redis.call('HDEL', key, all[i])
      out[#out + 1] = room
      out[#out + 1] = all[i]
    end
  end
  close_if_empty(room)
end
return out
