-- Stores the proposed cell assignment if there is none yet; answers the stored one either way.
-- KEYS: 1 cell assignment
-- ARGV: 1 table (JSON), 2 version
-- Reply: {table, version}
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1], 'table', ARGV[1], 'version', ARGV[2])
end
return redis.call('HMGET', KEYS[1], 'table', 'version')
