--[[
  Opens a prompt and makes it the learner's current question, writing any learner
  settings that go with it (the daily delivery's date) in the same step: one command
  instead of a MULTI of four (a MULTI/EXEC costs the client about three times the CPU of
  one EVALSHA, which the daily fan-out pays once per learner).

    Input:
      KEYS[1] prompt hash
      KEYS[2] current-question string
      KEYS[3] learner settings hash
      ARGV[1] prompt id
      ARGV[2] card id
      ARGV[3] sent at (epoch ms)
      ARGV[4] TTL in seconds (prompt and current question)
      ARGV[5..] settings field, value pairs (none: the settings hash is not touched)

    Output:
      1
]]
redis.call('HSET', KEYS[1], 'card', ARGV[2], 'status', 'open', 'sentAt', ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('SET', KEYS[2], ARGV[1], 'EX', ARGV[4])
if #ARGV > 4 then redis.call('HSET', KEYS[3], unpack(ARGV, 5)) end
return 1
