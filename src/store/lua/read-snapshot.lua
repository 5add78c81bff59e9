--[[
  Reads everything answering a question needs about one learner, at once (read-only):
  settings (with today's counters), card states, teams, the open question's id, one
  prompt, and whether a day's delivery went out. All keys carry the learner's hash tag.

  The prompt key must be declared in KEYS, so the caller names the prompt it wants up
  front: either the prompt asked for, or its guess of the current question's id. When
  the guess is wrong the script reads nothing else and answers 'stale' with the actual
  id, and the caller runs it again with that id.

    Input:
      KEYS[1] learner settings hash
      KEYS[2] cards hash
      KEYS[3] tenants set
      KEYS[4] current-question string
      KEYS[5] daily-sent marker of the date asked about (a key that never exists when none)
      KEYS[6] prompt hash to read (a key that never exists when none)

      ARGV[1] 'asked'   KEYS[6] is the prompt asked for, read whatever the current one is
              'current' KEYS[6] is the guessed current question; ARGV[2] is that guess
                        ('' for "no current question")
      ARGV[2] the guessed current prompt id ('current' mode)

    Output:
      {'ok', settings, states, tenants, currentId or '', promptFields, sentExists}
        settings, states, promptFields: flat HGETALL replies; tenants: SMEMBERS reply;
        sentExists: 0 or 1
      {'stale', currentId}  ('current' mode) the current question is not the guessed one
]]
local cur = redis.call('GET', KEYS[4])
if ARGV[1] == 'current' and (cur or '') ~= ARGV[2] then return {'stale', cur or ''} end
return {'ok', redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', KEYS[2]), redis.call('SMEMBERS', KEYS[3]), cur or '', redis.call('HGETALL', KEYS[6]), redis.call('EXISTS', KEYS[5])}
