-- A node gives its lease up on a clean stop, so that its players move on at once.
-- KEYS: 1 lease
-- ARGV: 1 incarnation
-- Replies: {'RELEASED'} | {'NOT_HELD'}
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return {'RELEASED'}
end
return {'NOT_HELD'}
