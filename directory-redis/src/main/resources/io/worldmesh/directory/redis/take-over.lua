-- Failover (HANDOVER-RULES rule 12): a live node takes a player of a node whose lease has run out, by the same kind
-- of compare-and-set as a commit: (dead, e) -> (taker, e + 1), with the session record moved to e + 1. It also
-- fences the dead node's incarnation and every earlier one, so that none of them can hold the lease again.
-- KEYS: 1 owner, 2 session, 3 audit, 4 the dead node's lease, 5 its lease fence, 6 its set of owned players,
--       7 the taker's set, 8 the cell assignment, 9 its last lease holder
-- With no live lease at all, the fence goes up to the last holder too (a restart the taker never saw is as dead).
-- ARGV: 1 dead node, 2 expected epoch, 3 taker, 4 next epoch, 5 dead incarnation, 6 player id, 7 audit max length
-- Replies: {'LEASE_LIVE', incarnation} | {'NOT_OWNER'} | {'NOT_OWNER', node, epoch} | {'TOOK_OVER'}
-- (the caller then reads the session record, now at e + 1 and the taker's: the state is binary, replies are text)
-- An incarnation later than the dead one may hold the lease when it is the taker (a restarted node taking back its
-- own players), or when the assignment gives the node no cells (it started after they were moved, so it holds none
-- of those players). Else the taker finds the node alive again, and leaves its players to that one's reconcile.
-- Asked again after a lost reply, a takeover that took effect is told so whatever the lease says now (a restart of
-- the dead node may have been given cells since): the taker restores the player from its session record.
local owner = redis.call('HMGET', KEYS[1], 'node', 'epoch')
if owner[1] == ARGV[3] and owner[2] == ARGV[4] then
  return {'NOT_OWNER', owner[1], owner[2]}
end
local holder = redis.call('GET', KEYS[4])
if holder then
  local live = tonumber(holder) <= tonumber(ARGV[5])
  if not live and ARGV[3] ~= ARGV[1] then
    local cells = redis.call('HGET', KEYS[8], 'table')
    if cells then
      for _, row in ipairs(cjson.decode(cells)) do
        if row['node'] == ARGV[1] then
          live = true
          break
        end
      end
    end
  end
  if live then
    return {'LEASE_LIVE', holder}
  end
end
if not owner[1] then
  redis.call('SREM', KEYS[6], ARGV[6])
  return {'NOT_OWNER'}
end
if owner[1] ~= ARGV[1] or owner[2] ~= ARGV[2] then
  return {'NOT_OWNER', owner[1], owner[2]}
end
local upTo = tonumber(ARGV[5])
if not holder then
  upTo = math.max(upTo, tonumber(redis.call('GET', KEYS[9]) or '0'))
end
local fence = tonumber(redis.call('GET', KEYS[5]) or '0')
if fence <= upTo then
  redis.call('SET', KEYS[5], tostring(upTo + 1))
end
redis.call('HSET', KEYS[1], 'node', ARGV[3], 'epoch', ARGV[4])
redis.call('HSET', KEYS[2], 'epoch', ARGV[4])
redis.call('SREM', KEYS[6], ARGV[6])
redis.call('SADD', KEYS[7], ARGV[6])
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[7], '*', 'player', ARGV[6],
  'from_node', ARGV[1], 'from_epoch', ARGV[2], 'to_node', ARGV[3], 'to_epoch', ARGV[4], 'token', 'failover')
return {'TOOK_OVER'}
