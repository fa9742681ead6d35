-- Rooms with live seats: the one room ARGV[4] (ARGV[3] 'one'), or every room whose id starts with ARGV[4]
-- ('prefix'). Answers a flat list: room id, meta ('<type>\n<created ms>'), its live seats as a list, ...
local rooms
if ARGV[3] == 'one' then
  rooms = {ARGV[4]}
else
  rooms = {}
  for _, r in ipairs(redis.call('HKEYS', META)) do
    if string.sub(r, 1, #ARGV[4]) == ARGV[4] then
      rooms[#rooms + 1] = r
    end
  end
end
local out = {}
local alive = {}
for _, room in ipairs(rooms) do
  local meta = redis.call('HGET', META, room)
  if meta then
    local live = {}
    local all = redis.call('HGETALL', seats_key(room))
    for i = 1, #all, 2 do
      local node = node_of(all[i + 1])
      if alive[node] == nil then
        alive[node] = redis.call('EXISTS', lease_key(node)) == 1
      end
      if alive[node] then
        live[#live + 1] = all[i + 1]
      end
    end
    if #live > 0 then
      out[#out + 1] = room
      out[#out + 1] = meta
      out[#out + 1] = live
    end
  end
end
return out
