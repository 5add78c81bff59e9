--[[
  The team side of one applied review (second step after apply-review.lua), or of its
  undo: one team key, its marker and its prior-values hash, all three in one hash slot,
  so it runs on a Redis Cluster too.

  Idempotent by token (the review-log entry id apply-review.lua returned; 'undo:<token>'
  for an undo): a retried answer re-runs this step with the same token and it is applied
  once. Tokens are kept `keepMs` (the marker is a sorted set token -> time, older ones
  trimmed, with their prior values).

  A forward step ('board', 'count') records, under its token, the value the key had
  before (the learner's score, or the week's review count; '' for none), so an undo
  ('unboard', 'uncount') can put the key back exactly:
    'unboard' restores the score recorded under the earliest applied one of the undone
              prompt's tokens (its answer, then its amends) — the board member is the
              learner, whose later reviews are undone first; without a record it
              subtracts the points delta instead.
    'uncount' takes the review back out of the count (other learners may have counted
              since), and drops the field when it comes back to nothing.
  Either way every listed token is marked applied, so a late retry of the forward step
  credits nothing.

    Input:
      KEYS[1] a board sorted set ('board' / 'unboard') or a team-week counter hash
              ('count' / 'uncount')
      KEYS[2] its marker: '{' .. KEYS[1] .. '}:applied', same slot as KEYS[1]
      KEYS[3] its prior values: '{' .. KEYS[1] .. '}:prior' (hash token -> value)
      ARGV[1] kind: 'board' | 'count' | 'unboard' | 'uncount'
      ARGV[2] token ('undo:<answer token>' for the undo kinds)
      ARGV[3] now, epoch ms
      ARGV[4] keepMs
      ARGV[5] learner (board member)         (board, unboard)
      ARGV[6] points delta                   (board, unboard: negative, the fallback)
      ARGV[7] board tiebreak minute          (board, unboard: the fallback's)
      ARGV[8..] the undone prompt's tokens, answer first   (unboard, uncount)

    Output: 1 applied, 0 already applied
]]
local target, marker, prior = KEYS[1], KEYS[2], KEYS[3]
local kind, token, now, keep = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
if redis.call('ZSCORE', marker, token) then return 0 end
local old = redis.call('ZRANGEBYSCORE', marker, '-inf', now - keep)
if #old > 0 then redis.call('HDEL', prior, unpack(old)) end
redis.call('ZREMRANGEBYSCORE', marker, '-inf', now - keep)
redis.call('ZADD', marker, now, token)
redis.call('PEXPIRE', marker, keep)
local shift = 8388608
local function addPoints(delta, minute)
  local cur = redis.call('ZSCORE', target, ARGV[5])
  local p = 0
  if cur then p = math.floor(tonumber(cur) / shift) end
  p = math.max(0, p + delta)
  redis.call('ZADD', target, string.format('%.0f', p * shift + (shift - 1 - minute)), ARGV[5])
end

if kind == 'count' or kind == 'board' then
  local cur
  if kind == 'count' then cur = redis.call('HGET', target, 'reviews')
  else cur = redis.call('ZSCORE', target, ARGV[5]) end
  redis.call('HSET', prior, token, cur or '')
  redis.call('PEXPIRE', prior, keep)
  if kind == 'count' then
    redis.call('HINCRBY', target, 'reviews', 1)
  else
    addPoints(tonumber(ARGV[6]), tonumber(ARGV[7]))
  end
  return 1
end

-- An undo: which of the prompt's tokens reached this key, and its value before the first.
local before, applied = nil, false
for i = 8, #ARGV do
  local t = ARGV[i]
  if redis.call('ZSCORE', marker, t) then
    applied = true
    if before == nil then before = redis.call('HGET', prior, t) end
    redis.call('HDEL', prior, t)
  else
    redis.call('ZADD', marker, now, t)
  end
end
if not applied then return 1 end
if kind == 'uncount' then
  if tonumber(redis.call('HINCRBY', target, 'reviews', -1)) <= 0 then
    redis.call('HDEL', target, 'reviews')
  end
elseif before == '' then
  redis.call('ZREM', target, ARGV[5])
elseif before then
  redis.call('ZADD', target, before, ARGV[5])
else
  addPoints(tonumber(ARGV[6]), tonumber(ARGV[7]))
end
return 1
