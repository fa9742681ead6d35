-- A frame to seats of a room, on whichever node. ARGV: 3 room, 4 mode ('all', 'only', 'others'), 5 user,
-- 6 kind ('d' deliver, 'x' take the seat), 7 frame, 8 reason (for 'x'). Answers how many seats it named.
return fanout(ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8])
