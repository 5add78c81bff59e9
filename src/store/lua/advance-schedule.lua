--[[
  Moves learners to their next delivery time, but only those still scheduled at the
  time the caller read (a learner who unsubscribed or changed time meanwhile is left
  alone), so two ticks racing never resurrect or double-advance anyone.

    Input:
      KEYS[1] schedule sorted set (learner -> next delivery, epoch ms)

      ARGV[1] cjson-packed array of moves, each a triple {learner, from, to}
              (from: the time read, to: the next time; epoch ms as strings)

    Output:
      number of learners moved
]]
local moved = 0
for _, m in ipairs(cjson.decode(ARGV[1])) do
  local cur = redis.call('ZSCORE', KEYS[1], m[1])
  if cur and tonumber(cur) == tonumber(m[2]) then
    redis.call('ZADD', KEYS[1], 'XX', m[3], m[1])
    moved = moved + 1
  end
end
return moved
