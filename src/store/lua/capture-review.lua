--[[
  Records, in the prompt hash, what an answer is about to change, so `undo` can put it
  back exactly: the prompt's status, the learner's day counters and streak fields, the
  learner's score on each board and each team-week counter. Runs in the same MULTI as
  apply-review.lua, just before it (nothing can run in between), with the same KEYS.
  Writes nothing when the prompt is gone or already answered (a duplicate or an amend
  must not overwrite the record of the first answer).

    Input:
      KEYS  exactly apply-review.lua's KEYS (prompt, cards, log, learner, current, next
            prompt, nBoards board sorted sets, then team-week counter hashes)
      ARGV[1] nBoards
      ARGV[2] learner id (the board member)

    Output: 1 recorded, 0 nothing to record
]]
local prompt, learnerKey = KEYS[1], KEYS[4]
local nBoards = tonumber(ARGV[1])
local status = redis.call('HGET', prompt, 'status')
if not status or status == 'answered' then return 0 end
local names = {'dayDate', 'dayNew', 'dayReviews', 'dayCorrect', 'lastSessionDay', 'streak', 'bestStreak'}
local vals = redis.call('HMGET', learnerKey, unpack(names))
local fields = {}
for i, name in ipairs(names) do fields[i] = {name, vals[i] or false} end
local boards = {}
for i = 7, 6 + nBoards do
  boards[#boards + 1] = {KEYS[i], redis.call('ZSCORE', KEYS[i], ARGV[2]) or false}
end
local counters = {}
for i = 7 + nBoards, #KEYS do
  counters[#counters + 1] = {KEYS[i], redis.call('HGET', KEYS[i], 'reviews') or false}
end
redis.call('HSET', prompt, 'pre', cjson.encode({status = status, fields = fields, boards = boards, counters = counters}))
return 1
