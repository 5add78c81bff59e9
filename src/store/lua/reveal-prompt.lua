--[[
  Marks an open prompt revealed (the learner asked to see the answer).

    Input:
      KEYS[1] prompt hash

    Output:
      1 revealed now or already
      0 prompt missing or already answered
]]
local s = redis.call('HGET', KEYS[1], 'status')
if s == 'open' then
  redis.call('HSET', KEYS[1], 'status', 'revealed')
  return 1
elseif s == 'revealed' then
  return 1
end
return 0
