--[[
  Takes one request from every sliding-window budget given, or from none: the shared
  rate budget of `pyjs start`/`pyjs worker` processes (store/rate-budget.ts). Each
  budget is a sorted set of the requests granted in its window (member: request id,
  score: Redis server time in ms), so every process counts on one clock. All KEYS share
  one hash tag (the workspace or bot), so the script stays in one Redis Cluster slot.

    Input:
      KEYS[1..n] budget sorted sets
      ARGV[1]    request id (unique per call)
      ARGV[2k]   limit of KEYS[k] (requests per window)
      ARGV[2k+1] window of KEYS[k] in ms

    Output:
      { 0, 0 } taken from every budget
      { wait ms, k } none taken: KEYS[k] is full for this long (the longest wait)
]]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local wait, which = 0, 0
for k = 1, #KEYS do
  local limit = tonumber(ARGV[2 * k])
  local window = tonumber(ARGV[2 * k + 1])
  redis.call('ZREMRANGEBYSCORE', KEYS[k], '-inf', now - window)
  if redis.call('ZCARD', KEYS[k]) >= limit then
    local oldest = redis.call('ZRANGE', KEYS[k], 0, 0, 'WITHSCORES')
    local free = math.max(1, tonumber(oldest[2]) + window - now + 1)
    if free > wait then wait, which = free, k end
  end
end
if wait > 0 then return { wait, which } end
for k = 1, #KEYS do
  redis.call('ZADD', KEYS[k], now, ARGV[1])
  redis.call('PEXPIRE', KEYS[k], tonumber(ARGV[2 * k + 1]))
end
return { 0, 0 }
