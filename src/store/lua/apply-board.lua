--[[
  The team side of one applied review (second step after apply-review.lua): one team
  key and its marker, both in one hash slot, so it runs on a Redis Cluster too.

  Idempotent by token (the review-log entry id apply-review.lua returned): a retried
  answer re-runs this step with the same token and it is applied once. Tokens are kept
  `keepMs` (the marker is a sorted set token -> time, older ones trimmed).

    Input:
      KEYS[1] a board sorted set (kind 'board') or a team-week counter hash (kind 'count')
      KEYS[2] its marker: '{' .. KEYS[1] .. '}:applied', same slot as KEYS[1]
      ARGV[1] kind: 'board' | 'count'
      ARGV[2] token
      ARGV[3] now, epoch ms
      ARGV[4] keepMs
      ARGV[5] learner (board member)         (board only)
      ARGV[6] points delta                   (board only)
      ARGV[7] board tiebreak minute          (board only)

    Output: 1 applied, 0 already applied
]]
local target, marker = KEYS[1], KEYS[2]
local kind, token, now, keep = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
if redis.call('ZSCORE', marker, token) then return 0 end
redis.call('ZADD', marker, now, token)
redis.call('ZREMRANGEBYSCORE', marker, '-inf', now - keep)
redis.call('PEXPIRE', marker, keep)
if kind == 'count' then
  redis.call('HINCRBY', target, 'reviews', 1)
  return 1
end
local shift = 8388608
local cur = redis.call('ZSCORE', target, ARGV[5])
local p = 0
if cur then p = math.floor(tonumber(cur) / shift) end
p = math.max(0, p + tonumber(ARGV[6]))
redis.call('ZADD', target, string.format('%.0f', p * shift + (shift - 1 - tonumber(ARGV[7]))), ARGV[5])
return 1
