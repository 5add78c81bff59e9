--[[
  Undoes the learner's side of their last review, as one atomic step on the learner's
  keys (one hash slot): the card's state, the day counters and streak fields go back to
  what capture-review.lua recorded just before the answer; the review log gets
  an entry marked undo=1 with the prompt id (readers drop that prompt's entries); the
  question the answer opened next is dropped and the undone prompt is asked again
  (current question, status as it was before the answer).

  The team side (boards, team-week counters: other slots) is returned for the caller to
  revert, key by key, with apply-board.lua ('unboard' / 'uncount', token 'undo:<answer
  token>'), which puts each key back to its value before the answer.

  Keyed by prompt id: only an answered prompt whose review is the last one in the log
  (undone ones skipped) and of the learner's current local day can be undone, so a
  double click undoes once, and a stale button cannot undo an older review.

    Input:
      KEYS[1] prompt hash of the review to undo
      KEYS[2] cards hash
      KEYS[3] review-log stream
      KEYS[4] learner settings hash
      KEYS[5] current-question string
      KEYS[6] prompt hash of the current question (KEYS[1] again when there is none)

      ARGV[1] cjson-packed table:
        promptId   the prompt to undo
        currentId  the current question's id KEYS[6] names ('' for none)
        today      learner's local date now
        nowMs      epoch ms (string), logged
        promptTtl  seconds an open prompt lives
        scan       how many log entries to look back for the last review

    Output:
      {'ok', card, rating, team}   undone; team: cjson {boards = {key...}, counters =
                             {key...}, tokens = 'answer,amend...' (review-log ids), total =
                             points credited, minute = board tiebreak minute}
      {'stale', currentId}   the current question is not KEYS[6]'s: read again
      {'expired'}            prompt gone
      {'not-answered'}       nothing to undo (already undone: a double click)
      {'no-record'}          answered before undo existed (nothing recorded)
      {'not-last'}           a later review exists: only the last one can be undone
      {'old-day'}            the review was on an earlier local day
]]
local a = cjson.decode(ARGV[1])
local prompt, cards, log, learnerKey, currentKey, curPrompt = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local pid = a.promptId
local status = redis.call('HGET', prompt, 'status')
if not status then return {'expired'} end
if status ~= 'answered' then return {'not-answered'} end
local cur = redis.call('GET', currentKey) or ''
if cur ~= a.currentId then return {'stale', cur} end
local raw = redis.call('HGET', prompt, 'pre')
if not raw then return {'no-record'} end
local pre = cjson.decode(raw)

-- The last review not undone: walking back, a prompt's undo entry hides its earlier ones.
local last
local undone = {}
for _, e in ipairs(redis.call('XREVRANGE', log, '+', '-', 'COUNT', a.scan)) do
  local f = {}
  for i = 1, #e[2], 2 do f[e[2][i]] = e[2][i + 1] end
  if f.undo == '1' then undone[f.prompt] = true
  elseif not undone[f.prompt] then last = f.prompt break end
end
if last ~= pid then return {'not-last'} end
if redis.call('HGET', learnerKey, 'dayDate') ~= a.today then return {'old-day'} end

local card = redis.call('HGET', prompt, 'card')
local before = redis.call('HGET', prompt, 'before') or ''
local after = redis.call('HGET', prompt, 'after') or ''
local rating = redis.call('HGET', prompt, 'rating') or ''
local b = redis.call('HMGET', prompt, 'bTokens', 'bTotal', 'bMinute')
local team = cjson.encode({boards = pre.boards or {}, counters = pre.counters or {},
  tokens = b[1] or '', total = tonumber(b[2] or '0'), minute = tonumber(b[3] or '0')})
if before == '' then redis.call('HDEL', cards, card) else redis.call('HSET', cards, card, before) end
for _, f in ipairs(pre.fields) do
  if f[2] then redis.call('HSET', learnerKey, f[1], f[2]) else redis.call('HDEL', learnerKey, f[1]) end
end
redis.call('XADD', log, '*', 'card', card, 'rating', rating, 'review', a.nowMs, 'elapsed', '0',
  'before', after, 'after', before, 'prompt', pid, 'amend', '0', 'undo', '1')
-- The question the answer opened next (or any open one since) gives way to this card.
if a.currentId ~= '' and a.currentId ~= pid and redis.call('HGET', curPrompt, 'status') ~= 'answered' then
  redis.call('DEL', curPrompt)
end
redis.call('HDEL', prompt, 'rating', 'before', 'after', 'points', 'reviewed', 'pre',
  'bToken', 'bDelta', 'bMinute', 'bCount', 'bTokens', 'bTotal', 'given')
redis.call('HSET', prompt, 'status', pre.status)
redis.call('EXPIRE', prompt, a.promptTtl)
redis.call('SET', currentKey, pid, 'EX', a.promptTtl)
return {'ok', card, rating, team}
