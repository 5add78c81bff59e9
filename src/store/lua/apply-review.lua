--[[
  Applies one answer as a single atomic step on the learner's keys (one hash slot): the
  card's new state, the review-log entry, the learner's day counters, the prompt marked
  answered, the streak and its bonus, and the next question opened. The team side
  (boards, week counters) lives in other slots: this script returns what to credit and
  a token, and apply-board.lua applies it per team key, once per token. The token and
  delta are kept on the prompt, so a retried answer ('duplicate') can finish that step.

  Keyed by prompt id (a retried request, a double click or two workers record exactly
  one review) and version-checked on the card's state (two prompts for one card cannot
  both apply on top of the same old state).

  mode "answer": the first answer to an open/revealed prompt.
  mode "amend":  the learner overrides the rating of the answer they just gave (the card
                 must not have moved on since); the log gets a new entry marked amend=1
                 with the same prompt id, and readers take the last entry per prompt.

    Input:
      KEYS[1] prompt hash of the answered prompt
      KEYS[2] cards hash (card id -> encoded state)
      KEYS[3] review-log stream
      KEYS[4] learner settings hash (streak, dayDate/dayNew/dayReviews/dayCorrect)
      KEYS[5] current-question string
      KEYS[6] prompt hash of the next question (KEYS[1] again when there is none)

      ARGV[1] cjson-packed table:
        mode         'answer' | 'amend'
        card         card id
        expected     encoded state the new one was computed from ('' for a new card)
        newState     encoded new state
        rating       '1'..'4'
        reviewMs     review time, epoch ms (string)
        elapsed      days since the last review (string, as logged)
        isNew        boolean: a new card (counts toward dayNew)
        promptId     the answered prompt's id
        points       number: points this rating earns
        finishDay    boolean: this review finishes the day's session
        today        learner's local date; yesterday: the day before
        minute       number: board tiebreak minute (earlier is better)
        bonusCap     number: streak bonus cap
        nextCard     card of the next question ('' for none); nextPromptId its id
        promptTtl    seconds an open prompt lives; answeredTtl: an answered one
        leech        number: the lapse count this review reached when it is a leech
                     threshold (core/leech.ts), else 0
        given        the typed answer ('' for buttons), kept in the log entry (bounded)

    Output:
      {'ok', streak, dayNew, dayReviews, dayCorrect, token, delta, minute, count, leech}
        applied; leech: the lapse count to announce ('0': none). Each threshold is told
        once per card: the learner hash keeps 'leech:<card>' = the highest one told
        (capture-review.lua records it, so undo puts it back).
      {'duplicate', rating, token, delta, minute, count}  already applied with this rating
        (token: review-log entry id; delta: board points; count: '1' when the team-week
        review counters take this review; the team step is still owed for these)
    The prompt keeps bTokens (its tokens, answer first, comma-separated) and bTotal (the
    points they credited) for undo-review.lua.
      {'expired'}       prompt gone
      {'mismatch'}      prompt is for another card
      {'conflict'}      the card's state is not the expected one
      {'not-answered'}  amend of a prompt never answered
      {'moved-on'}      amend after the card was reviewed again
]]
local function duplicate(key)
  local d = redis.call('HMGET', key, 'rating', 'bToken', 'bDelta', 'bMinute', 'bCount')
  return {'duplicate', d[1], d[2] or '', d[3] or '0', d[4] or '0', d[5] or '0'}
end
local a = cjson.decode(ARGV[1])
local prompt, cards, log, learnerKey, currentKey, nextKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local mode, card, expected, newState, rating = a.mode, a.card, a.expected, a.newState, a.rating
local reviewMs, elapsed, pid = a.reviewMs, a.elapsed, a.promptId
local points, today, yesterday = a.points, a.today, a.yesterday
local status = redis.call('HGET', prompt, 'status')
if not status then return {'expired'} end
if redis.call('HGET', prompt, 'card') ~= card then return {'mismatch'} end
local current = redis.call('HGET', cards, card) or ''
local amend = '0'
local correctDelta = 0
local delta = points
local sameDay = redis.call('HGET', learnerKey, 'dayDate') == today
if mode == 'answer' then
  if status == 'answered' then return duplicate(prompt) end
  if current ~= expected then return {'conflict'} end
  redis.call('HSET', prompt, 'reviewed', reviewMs)
  if not sameDay then
    redis.call('HSET', learnerKey, 'dayDate', today, 'dayNew', 0, 'dayReviews', 0, 'dayCorrect', 0)
    sameDay = true
  end
  redis.call('HINCRBY', learnerKey, 'dayReviews', 1)
  if a.isNew then redis.call('HINCRBY', learnerKey, 'dayNew', 1) end
  if rating ~= '1' then correctDelta = 1 end
else
  if status ~= 'answered' then return {'not-answered'} end
  local old = redis.call('HGET', prompt, 'rating')
  if old == rating then return duplicate(prompt) end
  if current ~= redis.call('HGET', prompt, 'after') then return {'moved-on'} end
  if redis.call('HGET', prompt, 'before') ~= expected then return {'conflict'} end
  amend = '1'
  if old == '1' and rating ~= '1' then correctDelta = 1 end
  if old ~= '1' and rating == '1' then correctDelta = -1 end
  delta = points - tonumber(redis.call('HGET', prompt, 'points') or '0')
end
redis.call('HSET', cards, card, newState)
local entry = {'card', card, 'rating', rating, 'review', reviewMs, 'elapsed', elapsed,
  'before', expected, 'after', newState, 'prompt', pid, 'amend', amend}
if a.given and a.given ~= '' then
  entry[#entry + 1] = 'given'
  entry[#entry + 1] = a.given
end
local token = redis.call('XADD', log, '*', unpack(entry))
local leech = '0'
if (a.leech or 0) > 0 then
  local told = tonumber(redis.call('HGET', learnerKey, 'leech:' .. card) or '0')
  if told < a.leech then
    redis.call('HSET', learnerKey, 'leech:' .. card, a.leech)
    leech = tostring(a.leech)
  end
end
redis.call('HSET', prompt, 'status', 'answered', 'rating', rating, 'before', expected, 'after', newState, 'points', points)
-- An answered prompt only serves a changed rating or a late click now: keep it two days.
redis.call('EXPIRE', prompt, a.answeredTtl)
if correctDelta ~= 0 and sameDay then redis.call('HINCRBY', learnerKey, 'dayCorrect', correctDelta) end
local streak = tonumber(redis.call('HGET', learnerKey, 'streak') or '0')
if mode == 'answer' and a.finishDay then
  local last = redis.call('HGET', learnerKey, 'lastSessionDay')
  if last ~= today then
    if last == yesterday then streak = streak + 1 else streak = 1 end
    local best = tonumber(redis.call('HGET', learnerKey, 'bestStreak') or '0')
    if streak > best then best = streak end
    redis.call('HSET', learnerKey, 'lastSessionDay', today, 'streak', streak, 'bestStreak', best)
    delta = delta + math.min(streak, a.bonusCap)
  end
end
local count = '0'
if mode == 'answer' then count = '1' end
redis.call('HSET', prompt, 'bToken', token, 'bDelta', delta, 'bMinute', a.minute, 'bCount', count)
-- For undo: every token of this prompt (answer first, then amends) and the points they credited.
local tokens, total = token, delta
if mode ~= 'answer' then
  tokens = (redis.call('HGET', prompt, 'bTokens') or '') .. ',' .. token
  total = total + tonumber(redis.call('HGET', prompt, 'bTotal') or '0')
end
redis.call('HSET', prompt, 'bTokens', tokens, 'bTotal', total)
if mode == 'answer' then
  if a.nextCard ~= '' then
    redis.call('HSET', nextKey, 'card', a.nextCard, 'status', 'open', 'sentAt', reviewMs)
    redis.call('EXPIRE', nextKey, a.promptTtl)
    redis.call('SET', currentKey, a.nextPromptId, 'EX', a.promptTtl)
  elseif redis.call('GET', currentKey) == pid then
    redis.call('DEL', currentKey)
  end
end
local d = redis.call('HMGET', learnerKey, 'dayNew', 'dayReviews', 'dayCorrect')
return {'ok', tostring(streak), d[1] or '0', d[2] or '0', d[3] or '0', token, tostring(delta),
  tostring(a.minute), count, leech}
