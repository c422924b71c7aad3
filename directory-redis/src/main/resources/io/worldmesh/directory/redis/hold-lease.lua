-- A node holds its lease for a TTL from now (HANDOVER-RULES rule 12): taken if free, extended if this incarnation
-- holds it, refused if another does. Redis expires the key by itself when the TTL runs out.
-- KEYS: 1 lease
-- ARGV: 1 incarnation, 2 ttl in milliseconds
-- Replies: {'HELD'} | {'HELD_BY_OTHER', incarnation}
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then
  return {'HELD_BY_OTHER', holder}
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return {'HELD'}
