--[[
  Records, in the prompt hash, what an answer is about to change on the learner's side,
  so `undo` can put it back exactly: the prompt's status and the learner's day counters,
  streak fields, 'I was right' claimable prompt and the card's leech mark. Runs in the same MULTI as apply-review.lua, just before it (nothing
  can run in between), with the same KEYS: the learner's keys only, one hash slot.

  The team side (boards, team-week counters) lives in other slots and is not read here:
  the record only names the team keys the answer credits. What each of them got is kept
  by apply-review.lua on the prompt (bTokens, bTotal), and apply-board.lua keeps each
  key's value before a token in the key's own slot; undo reverts each team key there.

  Writes nothing when the prompt is gone or already answered (a duplicate or an amend
  must not overwrite the record of the first answer).

    Input:
      KEYS  exactly apply-review.lua's KEYS (prompt, cards, log, learner, current, next
            prompt)
      ARGV[1] cjson-packed {boards = {board key...}, counters = {team-week key...}}

    Output: 1 recorded, 0 nothing to record
]]
local prompt, learnerKey = KEYS[1], KEYS[4]
local team = cjson.decode(ARGV[1])
local status = redis.call('HGET', prompt, 'status')
if not status or status == 'answered' then return 0 end
local names = {'dayDate', 'dayNew', 'dayReviews', 'dayCorrect', 'lastSessionDay', 'streak', 'bestStreak',
  'claimable', 'leech:' .. (redis.call('HGET', prompt, 'card') or '')}
local vals = redis.call('HMGET', learnerKey, unpack(names))
local fields = {}
for i, name in ipairs(names) do fields[i] = {name, vals[i] or false} end
redis.call('HSET', prompt, 'pre', cjson.encode({status = status, fields = fields,
  boards = team.boards, counters = team.counters}))
return 1
