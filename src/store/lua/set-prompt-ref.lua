--[[
  Remembers where the platform shows a prompt (e.g. Slack channel + ts), only while the
  prompt still exists (never recreates an expired one).

    Input:
      KEYS[1] prompt hash
      ARGV[1] platform reference

    Output:
      1
]]
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], 'ref', ARGV[1]) end
return 1
