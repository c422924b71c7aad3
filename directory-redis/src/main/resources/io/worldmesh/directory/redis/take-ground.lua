-- Failover of a node's cells (HANDOVER-RULES rule 12): fences the dead node's incarnation and every earlier one, so
-- that no late cut of theirs can land, then answers the last cut ground of each asked cell. Nothing changes while an
-- incarnation up to the dead one holds the lease; a later one may (a restarted node taking back its own ground).
-- With no live lease at all it fences up to the lease's last holder too (a restart the taker never saw is as dead).
-- KEYS: 1 the dead node's lease, 2 its lease fence, 3 its last lease holder, then one ground key per cell
-- ARGV: 1 dead incarnation
-- Replies: {'LEASE_LIVE', incarnation} | {'TAKEN', state or false for each cell, in order}
local holder = redis.call('GET', KEYS[1])
if holder and tonumber(holder) <= tonumber(ARGV[1]) then
  return {'LEASE_LIVE', holder}
end
local upTo = tonumber(ARGV[1])
if not holder then
  upTo = math.max(upTo, tonumber(redis.call('GET', KEYS[3]) or '0'))
end
local fence = tonumber(redis.call('GET', KEYS[2]) or '0')
if fence <= upTo then
  redis.call('SET', KEYS[2], tostring(upTo + 1))
end
local reply = {'TAKEN'}
for i = 4, #KEYS do
  reply[#reply + 1] = redis.call('HGET', KEYS[i], 'state')
end
return reply
