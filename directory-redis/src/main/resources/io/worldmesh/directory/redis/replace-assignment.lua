-- Replaces the cell assignment only if the stored one is still at the expected version; answers the stored one
-- either way (the new one when it took effect).
-- KEYS: 1 cell assignment
-- ARGV: 1 expected version, 2 new table (JSON), 3 new version
-- Reply: {table, version}
local version = redis.call('HGET', KEYS[1], 'version')
if version == ARGV[1] then
  redis.call('HSET', KEYS[1], 'table', ARGV[2], 'version', ARGV[3])
end
return redis.call('HMGET', KEYS[1], 'table', 'version')
