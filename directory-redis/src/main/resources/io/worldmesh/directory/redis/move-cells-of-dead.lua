-- Failover moves a dead node's cells (HANDOVER-RULES rule 12) only while no incarnation of it holds its lease: a
-- restarted node takes its lease before it reads the assignment, so the cells its world starts with are never moved
-- away from it by a taker that judged an earlier incarnation dead. Otherwise a compare-and-set on the version, as in
-- replace-assignment.lua; answers the stored assignment either way. A move that takes effect fences the dead
-- incarnation and every earlier one (as take-ground.lua does), so that one waking from a pause cannot hold its lease
-- again and simulate cells that are another node's now.
-- KEYS: 1 cell assignment, 2 the dead node's lease, 3 its lease fence
-- ARGV: 1 expected version, 2 new table (JSON), 3 new version, 4 dead incarnation
-- Reply: {table, version}
if redis.call('EXISTS', KEYS[2]) == 0 then
  local version = redis.call('HGET', KEYS[1], 'version')
  if version == ARGV[1] then
    redis.call('HSET', KEYS[1], 'table', ARGV[2], 'version', ARGV[3])
    local fence = tonumber(redis.call('GET', KEYS[3]) or '0')
    if fence <= tonumber(ARGV[4]) then
      redis.call('SET', KEYS[3], tostring(tonumber(ARGV[4]) + 1))
    end
  end
end
return redis.call('HMGET', KEYS[1], 'table', 'version')
