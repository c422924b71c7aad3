-- A compare-and-set on one key of the game's cluster-wide state. An absent key has version '0'.
-- KEYS: 1 game key
-- ARGV: 1 expected version, 2 new value, 3 next version (expected + 1)
-- Replies: {'SWAPPED', value, version} | {'CONFLICT', value, version} (what is there now)
local current = redis.call('HMGET', KEYS[1], 'value', 'version')
local version = current[2] or '0'
if version ~= ARGV[1] then
  return {'CONFLICT', current[1] or '', version}
end
redis.call('HSET', KEYS[1], 'value', ARGV[2], 'version', ARGV[3])
return {'SWAPPED', ARGV[2], ARGV[3]}
