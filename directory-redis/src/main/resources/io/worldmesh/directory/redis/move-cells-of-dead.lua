-- Failover moves a dead node's cells (HANDOVER-RULES rule 12) only while no incarnation of it holds its lease: a
-- restarted node takes its lease before it reads the assignment, so the cells its world starts with are never moved
-- away from it by a taker that judged an earlier incarnation dead. Otherwise a compare-and-set on the version, as in
-- replace-assignment.lua; answers the stored assignment either way.
-- KEYS: 1 cell assignment, 2 the dead node's lease
-- ARGV: 1 expected version, 2 new table (JSON), 3 new version
-- Reply: {table, version}
if redis.call('EXISTS', KEYS[2]) == 0 then
  local version = redis.call('HGET', KEYS[1], 'version')
  if version == ARGV[1] then
    redis.call('HSET', KEYS[1], 'table', ARGV[2], 'version', ARGV[3])
  end
end
return redis.call('HMGET', KEYS[1], 'table', 'version')
