--[[
  Replaces a Slack installation's sealed value with the same installation sealed under
  the current key, unless the value changed since the caller read it (a reinstall that
  wrote meanwhile wins).

    Input:
      KEYS[1] installation hash (slackinstall:{team})

      ARGV[1] the sealed value the caller read
      ARGV[2] the same installation sealed with the current key
      ARGV[3] the current key's id

    Output:
      1 when rewritten, 0 when the hash had changed (or is gone)
]]
if redis.call('HGET', KEYS[1], 'sealed') == ARGV[1] then
  redis.call('HSET', KEYS[1], 'sealed', ARGV[2], 'keyId', ARGV[3])
  return 1
end
return 0
