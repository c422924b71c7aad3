-- Failover moves a dead node's cells (HANDOVER-RULES rule 12) only while no incarnation of it holds its lease: a
-- restarted node takes its lease before it reads the assignment, so the cells its world starts with are never moved
-- away from it by a taker that judged an earlier incarnation dead. Otherwise a compare-and-set on the version, as in
-- replace-assignment.lua; answers the stored assignment either way. A move that takes effect fences the dead
-- incarnation and every earlier one (as take-ground.lua does), so that one waking from a pause cannot hold its lease
-- again and simulate cells that are another node's now; and up to the last holder of the lease, should that be later
-- (a restart the taker never saw, whose lease lapsed in turn).
-- KEYS: 1 cell assignment, 2 the dead node's lease, 3 its lease fence, 4 its last lease holder
-- ARGV: 1 expected version, 2 new table (JSON), 3 new version, 4 dead incarnation
-- Reply: {table, version}
if redis.call('EXISTS', KEYS[2]) == 0 then
  local version = redis.call('HGET', KEYS[1], 'version')
  if version == ARGV[1] then
    redis.call('HSET', KEYS[1], 'table', ARGV[2], 'version', ARGV[3])
    local upTo = math.max(tonumber(ARGV[4]), tonumber(redis.call('GET', KEYS[4]) or '0'))
    local fence = tonumber(redis.call('GET', KEYS[3]) or '0')
    if fence <= upTo then
      redis.call('SET', KEYS[3], tostring(upTo + 1))
    end
  end
end
return redis.call('HMGET', KEYS[1], 'table', 'version')
