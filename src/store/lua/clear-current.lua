--[[
  Clears the learner's current question, but only if it still points at this prompt (a
  newer question may have replaced it).

    Input:
      KEYS[1] current-question string
      ARGV[1] prompt id expected there

    Output:
      1 cleared, 0 left alone
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
