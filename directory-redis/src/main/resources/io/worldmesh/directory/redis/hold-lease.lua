-- A node holds its lease for a TTL from now (HANDOVER-RULES rule 12): taken if free, extended if this incarnation
-- holds it, refused if another does. Redis expires the key by itself when the TTL runs out.
-- An incarnation whose players were taken over (below the fence a takeover set) can never hold it again.
-- It also records the holder as the lease's last one (no TTL): a failover step that finds no live lease fences up to
-- it, so that a restart the taker never saw, whose lease lapsed in turn, cannot come back.
-- KEYS: 1 lease, 2 lease fence, 3 last holder
-- ARGV: 1 incarnation, 2 ttl in milliseconds
-- Replies: {'HELD'} | {'HELD_BY_OTHER', incarnation} | {'TAKEN_OVER', lowest incarnation allowed}
local fence = redis.call('GET', KEYS[2])
if fence and tonumber(ARGV[1]) < tonumber(fence) then
  return {'TAKEN_OVER', fence}
end
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then
  return {'HELD_BY_OTHER', holder}
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
local last = redis.call('GET', KEYS[3])
if not last or tonumber(last) < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[3], ARGV[1])
end
return {'HELD'}
